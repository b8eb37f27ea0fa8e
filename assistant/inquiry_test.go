package assistant_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/evals"
)

// asked is one question the fake sink got.
type asked struct {
	user, channel, question string
	history                 []string
}

// fakeInquiries records the questions forwarded to channels; err, when
// set, fails every call.
type fakeInquiries struct {
	mu  sync.Mutex
	got []asked
	err error
}

var _ assistant.InquirySink = (*fakeInquiries)(nil)

func (f *fakeInquiries) Ask(ctx context.Context, userID, channelID, question string, history []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.got = append(f.got, asked{userID, channelID, question, append([]string(nil), history...)})
	return nil
}

func (f *fakeInquiries) asked() []asked {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]asked(nil), f.got...)
}

// withOptions returns an assistant over h's store, tools and parser with
// opts.
func withOptions(h *evals.Harness, opts ...assistant.Option) *assistant.Assistant {
	opts = append([]assistant.Option{assistant.WithRecords(h.Store)}, opts...)
	return assistant.New(h.Tools(), h.Parser(), h.Store, h.Clock(), opts...)
}

const forwarded = "문의를 전달했어요. 답변이 오면 알려 드릴게요."

func TestInquiryForwarding(t *testing.T) {
	tests := []struct {
		name        string
		turns       []string
		wantChannel string // "" when nothing may be forwarded
		wantQ       string
		wantReply   string // in the last reply
	}{
		{"parking at the store being looked at", []string{"교동치킨 메뉴 보여줘", "주차 돼요?"}, "m-001", "주차 돼요?", "교동치킨 혜화점에 " + forwarded},
		{"pets at the store in the cart", []string{"교동치킨 후라이드 한 마리 담아줘", "반려동물 데려가도 돼요?"}, "m-001", "반려동물 데려가도 돼요?", forwarded},
		{"takeout discount, an ask_promotion", []string{"교동치킨 메뉴 보여줘", "포장 할인 돼요?"}, "m-001", "포장 할인 돼요?", forwarded},
		{"the store named in the text wins", []string{"교동치킨 메뉴 보여줘", "교촌 주차 돼요?"}, "m-002", "교촌 주차 돼요?", "교촌치킨 혜화점에 " + forwarded},
		{"entry during the show goes to the event's channel", []string{"아이유 콘서트 언제 해?", "공연 중 입장 가능해요?"}, "ch-edam", "공연 중 입장 가능해요?", "EDAM엔터테인먼트에 " + forwarded},
		{"no store yet: asked which, then forwarded", []string{"주차 돼요?", "교동치킨"}, "m-001", "주차 돼요?", forwarded},
		{"no store yet and none named after", []string{"주차 돼요?", "오늘 할인하는 메뉴 있어?"}, "", "", "할인"},
		{"hours stay with the catalog", []string{"교동치킨 메뉴 보여줘", "몇 시까지 해요?"}, "", "", "영업시간"},
		{"delivery fee stays with the catalog", []string{"교동치킨 메뉴 보여줘", "배달비 얼마야"}, "", "", "배달비"},
		{"a promotion question is no inquiry", []string{"교동치킨 메뉴 보여줘", "오늘 할인하는 메뉴 있어?"}, "", "", "할인"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := world(t)
			sink := &fakeInquiries{}
			a := withOptions(h, assistant.WithInquiries(sink))
			var last *sodam.Response
			for i, text := range tc.turns {
				last = say(t, a, "u-1", fmt.Sprint(i), text)
			}
			got := sink.asked()
			if tc.wantChannel == "" {
				if len(got) != 0 {
					t.Fatalf("forwarded %+v, want nothing", got)
				}
			} else {
				if len(got) != 1 {
					t.Fatalf("forwarded %d questions (%+v), want 1; last reply %q", len(got), got, last.Text)
				}
				if got[0].channel != tc.wantChannel || got[0].question != tc.wantQ || got[0].user != "u-1" {
					t.Errorf("forwarded %+v, want %q to %s", got[0], tc.wantQ, tc.wantChannel)
				}
				if len(got[0].history) == 0 || !strings.HasPrefix(got[0].history[0], "고객: "+tc.turns[0]) {
					t.Errorf("history %q, want the conversation before, starting with the first turn", got[0].history)
				}
			}
			if !strings.Contains(last.Text, tc.wantReply) {
				t.Errorf("last reply %q, want it to contain %q", last.Text, tc.wantReply)
			}
		})
	}
}

func TestInquiryNotResentOnRepeat(t *testing.T) {
	h := world(t)
	sink := &fakeInquiries{}
	a := withOptions(h, assistant.WithInquiries(sink))
	say(t, a, "u-1", "1", "교동치킨 메뉴 보여줘")
	first := say(t, a, "u-1", "2", "주차 돼요?")
	again := say(t, a, "u-1", "2", "주차 돼요?")
	if first.Text != again.Text {
		t.Errorf("the repeated message got %q, want %q", again.Text, first.Text)
	}
	if n := len(sink.asked()); n != 1 {
		t.Errorf("forwarded %d times, want once", n)
	}
}

func TestInquiryFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unavailable", sodam.Errorf(sodam.EUNAVAILABLE, "잠시 뒤에 다시 시도해 주세요."), "문의를 전달하지 못했어요"},
		{"invalid", sodam.Errorf(sodam.EINVALID, "문의을(를) 1000자 안으로 적어 주세요."), "1000자"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := world(t)
			a := withOptions(h, assistant.WithInquiries(&fakeInquiries{err: tc.err}))
			say(t, a, "u-1", "1", "교동치킨 메뉴 보여줘")
			if r := say(t, a, "u-1", "2", "주차 돼요?"); !strings.Contains(r.Text, tc.want) || strings.Contains(r.Text, forwarded) {
				t.Errorf("reply %q, want it to contain %q and not claim success", r.Text, tc.want)
			}
		})
	}
}

// TestWithoutInquiries keeps the catalog answer when no sink is set.
func TestWithoutInquiries(t *testing.T) {
	h := world(t)
	say(t, h.Assistant, "u-1", "1", "교동치킨 메뉴 보여줘")
	if r := say(t, h.Assistant, "u-1", "2", "주차 돼요?"); strings.Contains(r.Text, forwarded) {
		t.Errorf("reply %q claims a forward without a sink", r.Text)
	}
}
