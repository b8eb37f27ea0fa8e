package merchant

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// limiter is a token bucket per channel: burst broadcasts at once, one
// more every every.
type limiter struct {
	burst int
	every time.Duration

	mu   sync.Mutex
	used map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// take spends a token of key at now, or tells how long until one is
// available.
func (l *limiter) take(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.used[key]
	if b == nil {
		b = &bucket{tokens: float64(l.burst), at: now}
		l.used[key] = b
	}
	if el := now.Sub(b.at); el > 0 {
		b.tokens = min(float64(l.burst), b.tokens+float64(el)/float64(l.every))
		b.at = now
	}
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.every))
	}
	b.tokens--
	return true, 0
}

// Audience is how many users have added the channel.
func (s *Service) Audience(ctx context.Context, acct *sodam.MerchantAccount) (int, error) {
	subs, err := s.recs.Subscribers(ctx, acct.ChannelID)
	if err != nil {
		return 0, sodam.WrapError("merchant.Audience", err)
	}
	return len(subs), nil
}

// Broadcasts lists what the channel posted, newest first.
func (s *Service) Broadcasts(ctx context.Context, acct *sodam.MerchantAccount) ([]*sodam.Broadcast, error) {
	bs, err := s.recs.Broadcasts(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError("merchant.Broadcasts", err)
	}
	slices.Reverse(bs)
	if bs == nil {
		bs = []*sodam.Broadcast{}
	}
	return bs, nil
}

// Broadcast posts a message to the channel's subscribers: those
// connected get it at once, the others on their next connection (in
// order, once, and not at all if they remove the channel before). A
// channel may post a few at once and then one every so often (Config
// BroadcastBurst and BroadcastEvery); over that is ECONFLICT and sends
// nothing. Empty or longer than 1,000 characters is EINVALID.
func (s *Service) Broadcast(ctx context.Context, acct *sodam.MerchantAccount, text string) (*sodam.Broadcast, error) {
	const op = "merchant.Broadcast"
	text, err := checkText(op, text, "소식", 1000)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if ok, wait := s.limiter.take(acct.ChannelID, now); !ok {
		return nil, fail(sodam.ECONFLICT, op, fmt.Sprintf("소식은 잠시 뒤에 보낼 수 있어요. %d분 뒤에 다시 시도해 주세요.", int(wait.Minutes())+1))
	}
	subs, err := s.recs.Subscribers(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	b := &sodam.Broadcast{ChannelID: acct.ChannelID, Text: text, Audience: len(subs), CreatedAt: now}
	if err := s.recs.CreateBroadcast(ctx, b); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	s.fanOut(ctx, b, acct.Name, subs)
	return b, nil
}

// NewsItem is a broadcast as a user reads it.
type NewsItem struct {
	ChannelID   string    `json:"channel_id"`
	ChannelName string    `json:"channel_name"`
	Text        string    `json:"text"`
	At          time.Time `json:"at"`
}

// News lists the latest broadcasts of the channels the user has added,
// newest first, at most limit (10 when not positive).
func (s *Service) News(ctx context.Context, userID string, limit int) ([]NewsItem, error) {
	const op = "merchant.News"
	if limit <= 0 {
		limit = 10
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return []NewsItem{}, nil
		}
		return nil, sodam.WrapError(op, err)
	}
	out := []NewsItem{}
	for _, ch := range u.Subscriptions {
		bs, err := s.recs.Broadcasts(ctx, ch)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		if len(bs) == 0 {
			continue
		}
		_, name, err := s.channel(ctx, ch)
		if err != nil {
			name = ch
		}
		for _, b := range bs {
			out = append(out, NewsItem{ChannelID: ch, ChannelName: name, Text: b.Text, At: b.CreatedAt})
		}
	}
	slices.SortStableFunc(out, func(a, b NewsItem) int { return b.At.Compare(a.At) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
