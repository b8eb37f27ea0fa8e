package assistant_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
)

// fakeNews serves fixed broadcasts, newest first, and counts calls.
type fakeNews struct {
	items []assistant.NewsItem
	calls int
}

var _ assistant.NewsSource = (*fakeNews)(nil)

func (f *fakeNews) News(ctx context.Context, userID string, limit int) ([]assistant.NewsItem, error) {
	f.calls++
	out := append([]assistant.NewsItem(nil), f.items...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func TestChannelNews(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, sodam.Seoul)
	items := []assistant.NewsItem{
		{ChannelID: "ch-edam", ChannelName: "EDAM엔터테인먼트", Text: "아이유 콘서트 추가 좌석이 열렸어요", At: at},
		{ChannelID: "m-002", ChannelName: "교촌치킨 혜화점", Text: "오늘 허니콤보 20% 할인", At: at.Add(-time.Hour)},
	}
	tests := []struct {
		name      string
		subs      []string
		text      string
		wantRows  []string // list rows' descriptions, in order; nil for no list
		wantReply string
		wantCalls int
	}{
		{"all channels", []string{"ch-edam", "m-002"}, "채널 소식 보여줘", []string{items[0].Text, items[1].Text}, "최근 소식 2개", 1},
		{"new news", []string{"ch-edam", "m-002"}, "새 소식 있어?", []string{items[0].Text, items[1].Text}, "최근 소식 2개", 1},
		{"one store's channel", []string{"ch-edam", "m-002"}, "교촌 채널 공지", []string{items[1].Text}, "교촌치킨 채널의 최근 소식 1개", 1},
		{"a channel not added", []string{"ch-edam"}, "교동치킨 채널 공지", nil, "추가하지 않으셨어요", 0},
		{"no channels at all", nil, "채널 소식 보여줘", nil, "아직 추가한 채널이 없어요", 1},
		{"subscribing is not reading", nil, "교촌 소식 받기", nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := world(t)
			u := &sodam.User{ID: "u-1", Address: "서울 종로구 대학로 12", Lat: 37.5820, Lng: 127.0018, Subscriptions: tc.subs}
			if err := h.Store.UpsertUser(context.Background(), u); err != nil {
				t.Fatal(err)
			}
			src := &fakeNews{items: items}
			if tc.subs == nil {
				src.items = nil
			}
			a := withOptions(h, assistant.WithNews(src))
			r := say(t, a, "u-1", "1", tc.text)
			if src.calls != tc.wantCalls {
				t.Errorf("News called %d times, want %d", src.calls, tc.wantCalls)
			}
			if !strings.Contains(r.Text, tc.wantReply) {
				t.Errorf("reply %q, want it to contain %q", r.Text, tc.wantReply)
			}
			if tc.wantRows == nil {
				if r.List != nil && r.List.Title == "채널 소식" {
					t.Errorf("got a news list %+v, want none", r.List)
				}
				return
			}
			if r.List == nil {
				t.Fatalf("no list in %+v", r)
			}
			var got []string
			for _, it := range r.List.Items {
				got = append(got, it.Description)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.wantRows) {
				t.Errorf("rows %q, want %q", got, tc.wantRows)
			}
			if !strings.Contains(r.List.Items[0].Title, "11월 24일") {
				t.Errorf("row title %q lacks the date", r.List.Items[0].Title)
			}
		})
	}
}

// TestChannelNewsKeepsSubscribing checks that adding a channel still adds
// it with a news source set.
func TestChannelNewsKeepsSubscribing(t *testing.T) {
	h := world(t)
	a := withOptions(h, assistant.WithNews(&fakeNews{}))
	r := say(t, a, "u-1", "1", "교동치킨 채널 추가할게")
	if r.List != nil && r.List.Title == "채널 소식" {
		t.Errorf("adding a channel showed news: %+v", r)
	}
}
