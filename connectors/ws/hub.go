package ws

import (
	"sync"

	"github.com/sodam-ai/sodam"
)

// replaySize is how many replies the hub keeps per user for resends.
const replaySize = 16

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
