package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// stateVersion is written into every saved state; a state of another
// version is dropped and the conversation starts afresh.
const stateVersion = 1

// Sizes of the bounded parts of a state.
const (
	historySize = 12 // turns kept for context
	// replyCache is how many responses are kept for MessageID
	// idempotency: twice what a websocket client may have waiting for
	// replies (8), so that every message it resends after a reconnect is
	// found. The replies are most of a saved state, and the state is
	// written every turn.
	replyCache = 16
)

// State is what the assistant remembers about one user between turns. It
// is saved as JSON through sodam.DialogueStore after every turn, so that a
// restart or a reconnect resumes the conversation where it was.
type State struct {
	Version int    `json:"version"`
	UserID  string `json:"user_id"`

	// MerchantID is the store the user is ordering from or looking at.
	MerchantID string `json:"merchant_id,omitempty"`
	// Cart summarises the user's cart as last seen (the store's draft
	// order is the truth; this is for replies and change detection).
	Cart *CartSummary `json:"cart,omitempty"`

	// Asking is the question waiting for an answer, if any.
	Asking *Question `json:"asking,omitempty"`
	// Confirm is the confirmation waiting for a yes, if any. Only an
	// affirmation in the very next turn carries it out.
	Confirm *Confirmation `json:"confirm,omitempty"`

	// Shown is the last numbered list shown, which 첫 번째, 2번, 그거 and
	// 아까 그 집 refer to.
	Shown *Shown `json:"shown,omitempty"`

	// Ticket is the booking being put together.
	Ticket *TicketDraft `json:"ticket,omitempty"`

	// Inquiry is a question for a store or an event channel that waits
	// for the user to say which one; only the next turn takes it up.
	Inquiry *InquiryDraft `json:"inquiry,omitempty"`

	// PaymentMethod is the method the user chose in this conversation
	// ("" means kakaopay); Address overrides the user's default address.
	PaymentMethod string `json:"payment_method,omitempty"`
	Address       string `json:"address,omitempty"`

	LastOrderID   string `json:"last_order_id,omitempty"`
	LastBookingID string `json:"last_booking_id,omitempty"`

	History []Exchange    `json:"history,omitempty"`
	Replies []CachedReply `json:"replies,omitempty"`
}

// CartSummary is the cart as last shown to the user.
type CartSummary struct {
	OrderID    string     `json:"order_id,omitempty"`
	MerchantID string     `json:"merchant_id"`
	Lines      []CartLine `json:"lines"`
	ItemsTotal int64      `json:"items_total"`
	Total      int64      `json:"total"`
}

// CartLine is one line of a cart summary.
type CartLine struct {
	MenuItemID string   `json:"menu_item_id"`
	Name       string   `json:"name"`
	Quantity   int      `json:"quantity"`
	Options    []string `json:"options,omitempty"`
	LineTotal  int64    `json:"line_total"`
}

// Question kinds: what the assistant asked for.
const (
	AskMerchant  = "merchant"  // which store (Candidates are merchant ids)
	AskItem      = "item"      // which menu item (Candidates are item ids)
	AskEvent     = "event"     // which event (Candidates are event ids)
	AskSession   = "session"   // which session (Candidates are session ids)
	AskGrade     = "grade"     // which seat grade
	AskCount     = "count"     // how many tickets
	AskReplace   = "replace"   // empty the cart of another store?
	AskSubscribe = "subscribe" // add the channel to book a subscriber-only event?
	AskCheckout  = "checkout"  // order what is in the cart?
)

// Question is a question waiting for the user's answer.
type Question struct {
	Kind       string     `json:"kind"`
	Candidates []string   `json:"candidates,omitempty"`
	Items      []ItemWish `json:"items,omitempty"`      // items waiting for the answer
	ChannelID  string     `json:"channel_id,omitempty"` // for AskSubscribe
}

// ItemWish is an item the user asked for, not yet in the cart.
type ItemWish struct {
	Name       string   `json:"name"`
	Quantity   int      `json:"quantity"`
	Options    []string `json:"options,omitempty"`
	MenuItemID string   `json:"menu_item_id,omitempty"`
	// Candidates are the menu item ids the name may mean.
	Candidates []string `json:"candidates,omitempty"`
}

// Confirmation kinds.
const (
	ConfirmOrder         = "order"
	ConfirmBooking       = "booking"
	ConfirmCancelOrder   = "cancel_order"
	ConfirmCancelBooking = "cancel_booking"
	ConfirmSubscribe     = "subscribe"
)

// Confirmation is an action shown to the user with its exact amount and
// waiting for a yes.
type Confirmation struct {
	Kind       string `json:"kind"`
	Amount     int64  `json:"amount"`
	OrderID    string `json:"order_id,omitempty"`
	BookingID  string `json:"booking_id,omitempty"`
	MerchantID string `json:"merchant_id,omitempty"`
	ChannelID  string `json:"channel_id,omitempty"`
	Method     string `json:"method,omitempty"`
	Address    string `json:"address,omitempty"`
	// CartKey fingerprints the cart that was shown: a changed cart
	// invalidates the confirmation.
	CartKey string `json:"cart_key,omitempty"`
}

// Kinds of shown lists.
const (
	ShownMerchants = "merchants"
	ShownItems     = "items"
	ShownEvents    = "events"
	ShownSessions  = "sessions"
	ShownOrders    = "orders"
)

// Shown is a numbered list shown to the user.
type Shown struct {
	Kind string   `json:"kind"`
	IDs  []string `json:"ids"`
}

// TicketDraft is a booking being put together.
type TicketDraft struct {
	EventID   string `json:"event_id,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	Grade     string `json:"grade,omitempty"`
	Count     int    `json:"count,omitempty"`
	// From and To narrow the sessions to a date the user named.
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
	// At is the time of day the user named, when they named one.
	At *time.Time `json:"at,omitempty"`
}

// Exchange is one turn of the history.
type Exchange struct {
	User   string    `json:"user"`
	Reply  string    `json:"reply"`
	Intent string    `json:"intent,omitempty"`
	At     time.Time `json:"at"`
}

// CachedReply is the response given to one MessageID. The response is
// kept encoded: it is written with the state after every turn and read
// only when its message comes again, so it is encoded once, not at every
// save.
type CachedReply struct {
	MessageID string          `json:"message_id"`
	Response  json.RawMessage `json:"response"`
}

// loadState reads the user's state, or starts a new one when there is none
// or it cannot be read. The store is read every time, since another
// server may have answered the user's last turn; when what it holds is
// exactly what this process saved last, the state decoded then is used
// instead of decoding it again (a turn's largest cost after the NLU).
// The caller owns the state it gets until it saves it.
func loadState(ctx context.Context, ds sodam.DialogueStore, cache *stateCache, userID string) (*State, error) {
	fresh := &State{Version: stateVersion, UserID: userID}
	b, err := ds.LoadDialogue(ctx, userID)
	if sodam.IsCode(err, sodam.ENOTFOUND) {
		return fresh, nil
	}
	if err != nil {
		return nil, fmt.Errorf("assistant: load dialogue of %s: %w", userID, err)
	}
	if s := cache.take(userID, b); s != nil {
		return s, nil
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil || s.Version != stateVersion {
		return fresh, nil
	}
	s.UserID = userID
	return &s, nil
}

// saveState writes the user's state and keeps it decoded for the user's
// next turn.
func saveState(ctx context.Context, ds sodam.DialogueStore, cache *stateCache, s *State) error {
	b, err := encodeState(s)
	if err != nil {
		return fmt.Errorf("assistant: encode dialogue of %s: %w", s.UserID, err)
	}
	if err := ds.SaveDialogue(ctx, s.UserID, b); err != nil {
		return fmt.Errorf("assistant: save dialogue of %s: %w", s.UserID, err)
	}
	cache.put(s.UserID, b, s)
	return nil
}

// encodeState is json.Marshal(s), but the cached replies, which this
// process encoded itself (remember), are copied in as they are instead
// of being checked and compacted again at every save.
func encodeState(s *State) ([]byte, error) {
	replies := s.Replies
	s.Replies = nil
	b, err := json.Marshal(s)
	s.Replies = replies
	if err != nil || len(replies) == 0 {
		return b, err
	}
	b = append(b[:len(b)-1], `,"replies":[`...) // b ends with '}'
	for i, r := range replies {
		if i > 0 {
			b = append(b, ',')
		}
		id, err := json.Marshal(r.MessageID)
		if err != nil {
			return nil, err
		}
		b = append(b, `{"message_id":`...)
		b = append(b, id...)
		b = append(b, `,"response":`...)
		if len(r.Response) == 0 {
			b = append(b, "null"...)
		} else {
			b = append(b, r.Response...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// stateCacheSize bounds the users whose decoded state is kept.
const stateCacheSize = 20000

// stateCache keeps, per user, the state this process saved last with the
// bytes it was saved as. A user's entry is used only under the user's
// lock, and handed over (removed) when taken, so a turn that fails before
// saving leaves nothing half-changed behind.
type stateCache struct {
	mu sync.Mutex
	m  map[string]savedState
}

type savedState struct {
	raw []byte
	st  *State
}

func newStateCache() *stateCache { return &stateCache{m: make(map[string]savedState)} }

// take returns the kept state of the user when raw is what it was saved
// as, and forgets it; nil otherwise.
func (c *stateCache) take(userID string, raw []byte) *State {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[userID]
	if !ok {
		return nil
	}
	delete(c.m, userID)
	if !bytes.Equal(e.raw, raw) {
		return nil
	}
	return e.st
}

// put keeps s, saved as raw. When full, it drops arbitrary entries: they
// only cost a decode.
func (c *stateCache) put(userID string, raw []byte, s *State) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= stateCacheSize {
		n := stateCacheSize / 10
		for k := range c.m {
			delete(c.m, k)
			if n--; n == 0 {
				break
			}
		}
	}
	c.m[userID] = savedState{raw: raw, st: s}
}

// cached returns the response already given to messageID.
func (s *State) cached(messageID string) (*sodam.Response, bool) {
	if messageID == "" {
		return nil, false
	}
	for _, c := range s.Replies {
		if c.MessageID == messageID {
			var r sodam.Response
			if err := json.Unmarshal(c.Response, &r); err != nil {
				return nil, false
			}
			return &r, true
		}
	}
	return nil, false
}

// remember records a turn in the history and, when it has an id, its
// response in the reply cache, dropping the oldest beyond the bounds.
func (s *State) remember(t sodam.Turn, r *sodam.Response, at time.Time) {
	s.History = append(s.History, Exchange{User: t.Text, Reply: r.Text, Intent: r.Intent, At: at})
	if n := len(s.History) - historySize; n > 0 {
		s.History = append([]Exchange(nil), s.History[n:]...)
	}
	if t.MessageID == "" {
		return
	}
	b, err := json.Marshal(r)
	if err != nil {
		return // a response is plain data; it always encodes
	}
	s.Replies = append(s.Replies, CachedReply{MessageID: t.MessageID, Response: b})
	if n := len(s.Replies) - replyCache; n > 0 {
		s.Replies = append([]CachedReply(nil), s.Replies[n:]...)
	}
}
