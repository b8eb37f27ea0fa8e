package assistant

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// NewsItem is one broadcast of a channel the user added.
type NewsItem struct {
	ChannelID   string
	ChannelName string
	Text        string
	At          time.Time
}

// NewsSource lists what the channels a user added have posted. The
// merchant side implements it (merchant.Service.News behind a small
// adapter).
type NewsSource interface {
	// News returns the latest broadcasts of the channels the user has
	// added, newest first, at most limit. A user with no channels, or
	// one the store does not know, has none.
	News(ctx context.Context, userID string, limit int) ([]NewsItem, error)
}

// WithNews lets users read their channels' news in the chat (채널 소식
// 보여줘, 새 소식 있어?, 교촌 채널 공지). Without it such messages are
// handled by their intent, as before.
func WithNews(s NewsSource) Option { return func(a *Assistant) { a.news = s } }

// newsShown is how many broadcasts the chat lists at once.
const newsShown = 10

// wantsNews reports whether the message asks to see channel news rather
// than to add a channel (소식 받기, 알림 켜줘) or to find an event.
func wantsNews(r *reading) bool {
	c := r.Compact
	if !containsAny(c, "소식", "공지") {
		return false
	}
	if containsAny(c, "받", "알림", "신청", "구독", "추가", "켜", "끄", "꺼", "삭제", "해제", "취소", "그만") {
		return false
	}
	switch r.Intent {
	case intentEvent, intentBook:
		return strings.Contains(c, "채널")
	}
	return true
}

// news lists the user's channel news, of the channels the message names
// when it names some.
func (c *conv) news() *sodam.Response {
	if c.a.news == nil || !wantsNews(c.r) {
		return nil
	}
	want, names := c.newsChannels()
	if len(want) > 0 {
		var subs []string
		if u := c.userProfile(); u != nil {
			subs = u.Subscriptions
		}
		if !slices.ContainsFunc(want, func(id string) bool { return slices.Contains(subs, id) }) {
			return &sodam.Response{
				Text:         fmt.Sprintf("%s 채널을 아직 추가하지 않으셨어요. 채널을 추가하면 새 소식을 받아 볼 수 있어요.", names[0]),
				QuickReplies: []sodam.QuickReply{qr("채널 추가", names[0]+" 채널 추가할게")},
			}
		}
	}
	limit := newsShown
	if len(want) > 0 {
		limit = 50 // filtered below
	}
	items, err := c.a.news.News(c.ctx, c.user, limit)
	if err != nil {
		return c.fail(err)
	}
	if len(want) > 0 {
		items = slices.DeleteFunc(items, func(n NewsItem) bool { return !slices.Contains(want, n.ChannelID) })
		if len(items) > newsShown {
			items = items[:newsShown]
		}
	}
	if len(items) == 0 {
		if len(want) > 0 {
			return &sodam.Response{Text: fmt.Sprintf("%s 채널에 아직 새 소식이 없어요.", names[0])}
		}
		if u := c.userProfile(); u != nil && len(u.Subscriptions) == 0 {
			return &sodam.Response{Text: "아직 추가한 채널이 없어요. 가게나 공연 채널을 추가하면 새 소식을 여기서 모아 볼 수 있어요."}
		}
		return &sodam.Response{Text: "추가하신 채널에 아직 새 소식이 없어요."}
	}
	list := &sodam.ListCard{Title: "채널 소식"}
	for _, n := range items {
		list.Items = append(list.Items, sodam.ListItem{
			Title:       fmt.Sprintf("%s · %s", firstNonEmpty(n.ChannelName, n.ChannelID), KoreanDate(n.At)),
			Description: clip(n.Text, 120),
		})
	}
	text := fmt.Sprintf("추가하신 채널의 최근 소식 %d개예요.", len(items))
	if len(want) > 0 {
		text = fmt.Sprintf("%s 채널의 최근 소식 %d개예요.", names[0], len(items))
	}
	return &sodam.Response{Text: text, List: list}
}

// newsChannels returns the channels the message names, with a name for
// the first: every branch of a named store's brand, and the channel of a
// named event or of an event channel named outright.
func (c *conv) newsChannels() (ids, names []string) {
	v := c.a.catalog(c.ctx)
	add := func(id, name string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
			names = append(names, name)
		}
	}
	ms := c.r.MerchantIDs
	if len(ms) == 0 {
		ms = v.merchantsNamed(firstNonEmpty(c.r.Merchant, c.r.Compact))
	}
	for _, id := range ms {
		if m := v.byID[id]; m != nil {
			add(id, firstNonEmpty(m.Brand, withoutBranch(m.Name)))
		}
	}
	for _, id := range c.r.EventIDs {
		if e := v.eventByID[id]; e != nil && e.ChannelID != "" {
			add(e.ChannelID, firstNonEmpty(e.ChannelName, e.ChannelID))
		}
	}
	for _, e := range v.events {
		if n := fold(e.ChannelName); len([]rune(n)) >= 2 && strings.Contains(c.r.Compact, n) {
			add(e.ChannelID, e.ChannelName)
		}
	}
	return ids, names
}
