package memstore

import (
	"context"
	"slices"

	"github.com/sodam-ai/sodam"
)

// UpsertUser inserts or replaces a user. Subscriptions are stored sorted
// and without repeats. A user without an id is EINVALID.
func (s *Store) UpsertUser(ctx context.Context, u *sodam.User) error {
	if u.ID == "" {
		return invalid("memstore.UpsertUser", "사용자 id가 필요해요.")
	}
	c := cloneUser(u)
	slices.Sort(c.Subscriptions)
	c.Subscriptions = slices.Compact(c.Subscriptions)
	s.usersMu.Lock()
	s.users[u.ID] = c
	s.usersMu.Unlock()
	return nil
}

// User returns a user by id.
func (s *Store) User(ctx context.Context, id string) (*sodam.User, error) {
	s.usersMu.RLock()
	defer s.usersMu.RUnlock()
	u, ok := s.users[id]
	if !ok {
		return nil, notFound("memstore.User", "사용자", id)
	}
	return cloneUser(u), nil
}

// Subscribe adds a channel to a user's subscriptions; adding one twice
// changes nothing. It returns the updated user.
func (s *Store) Subscribe(ctx context.Context, userID, channelID string) (*sodam.User, error) {
	return s.changeSubscriptions("memstore.Subscribe", userID, channelID, func(subs []string) []string {
		i, found := slices.BinarySearch(subs, channelID)
		if found {
			return subs
		}
		return slices.Insert(subs, i, channelID)
	})
}

// Unsubscribe removes a channel from a user's subscriptions; removing one
// that is not there changes nothing. It returns the updated user.
func (s *Store) Unsubscribe(ctx context.Context, userID, channelID string) (*sodam.User, error) {
	return s.changeSubscriptions("memstore.Unsubscribe", userID, channelID, func(subs []string) []string {
		i, found := slices.BinarySearch(subs, channelID)
		if !found {
			return subs
		}
		return slices.Delete(subs, i, i+1)
	})
}

func (s *Store) changeSubscriptions(op, userID, channelID string, change func([]string) []string) (*sodam.User, error) {
	if channelID == "" {
		return nil, invalid(op, "채널 id가 필요해요.")
	}
	s.usersMu.Lock()
	defer s.usersMu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		return nil, notFound(op, "사용자", userID)
	}
	c := cloneUser(u)
	c.Subscriptions = change(c.Subscriptions)
	s.users[userID] = c
	return cloneUser(c), nil
}

// SaveDialogue replaces a user's dialogue state.
func (s *Store) SaveDialogue(ctx context.Context, userID string, state []byte) error {
	if userID == "" {
		return invalid("memstore.SaveDialogue", "사용자 id가 필요해요.")
	}
	// Copy outside the lock: states run to kilobytes and every user's
	// turn takes this lock. Stored states are replaced, never changed.
	st := slices.Clone(state)
	s.dialoguesMu.Lock()
	s.dialogues[userID] = st
	s.dialoguesMu.Unlock()
	return nil
}

// LoadDialogue returns a user's dialogue state; none saved is ENOTFOUND.
func (s *Store) LoadDialogue(ctx context.Context, userID string) ([]byte, error) {
	s.dialoguesMu.RLock()
	st, ok := s.dialogues[userID]
	s.dialoguesMu.RUnlock()
	if !ok {
		return nil, notFound("memstore.LoadDialogue", "대화 상태", userID)
	}
	return slices.Clone(st), nil
}
