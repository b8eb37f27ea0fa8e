package ws

import (
	"slices"
	"sync"

	"github.com/sodam-ai/sodam"
)

// replaySize is how many replies the hub keeps per user for resends.
const replaySize = 16

// seenSize is how many notice Seqs the hub remembers per user, to send
// each to the user's connections once.
const seenSize = 64

// hub tracks the open connections of each user, so that events reach all
// of a user's tabs, and the user's latest replies, so that a resent
// message gets the reply it already had.
type hub struct {
	mu    sync.Mutex
	users map[string]*member
}

// member is one user's entry: their connections and recent replies. It
// lives while the user has a connection.
type member struct {
	conns  []*conn
	replay []replayed // oldest first, at most replaySize
	seen   []int64    // notice Seqs sent, oldest first, at most seenSize
}

type replayed struct {
	id   string
	resp *sodam.Response
}

func newHub() *hub { return &hub{users: make(map[string]*member)} }

func (h *hub) add(userID string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.users[userID]
	if m == nil {
		m = &member{}
		h.users[userID] = m
	}
	m.conns = append(m.conns, c)
}

func (h *hub) remove(userID string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.users[userID]
	if m == nil {
		return
	}
	for i, x := range m.conns {
		if x == c {
			m.conns = append(m.conns[:i], m.conns[i+1:]...)
			break
		}
	}
	if len(m.conns) == 0 {
		delete(h.users, userID)
	}
}

// conns returns a copy of the user's connections.
func (h *hub) conns(userID string) []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.users[userID]
	if m == nil {
		return nil
	}
	return append([]*conn(nil), m.conns...)
}

// online reports whether the user has a connection.
func (h *hub) online(userID string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.users[userID] != nil
}

// targets returns a copy of the user's connections to send the notice
// numbered seq to, and whether it was sent to them before. A seq of 0 is
// never a repeat.
func (h *hub) targets(userID string, seq int64) (conns []*conn, repeat bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.users[userID]
	if m == nil {
		return nil, false
	}
	conns = append([]*conn(nil), m.conns...)
	if seq == 0 {
		return conns, false
	}
	if slices.Contains(m.seen, seq) {
		return conns, true
	}
	if len(m.seen) >= seenSize {
		m.seen = append(m.seen[:0], m.seen[1:]...)
	}
	m.seen = append(m.seen, seq)
	return conns, false
}

// reply returns the reply already given to the user's message id.
func (h *hub) reply(userID, id string) (*sodam.Response, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.users[userID]; m != nil {
		for _, r := range m.replay {
			if r.id == id {
				return r.resp, true
			}
		}
	}
	return nil, false
}

// remember records the reply to the user's message id.
func (h *hub) remember(userID, id string, resp *sodam.Response) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.users[userID]
	if m == nil {
		return
	}
	if len(m.replay) >= replaySize {
		m.replay = append(m.replay[:0], m.replay[1:]...)
	}
	m.replay = append(m.replay, replayed{id, resp})
}
