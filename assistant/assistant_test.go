package assistant_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/evals"
)

var (
	runnerOnce sync.Once
	runner     *evals.DialogueRunner
	runnerErr  error
)

// world returns a fresh store, tools and assistant over the evaluation
// catalog at 2026-11-24 18:00 in Seoul, with a user near 대학로.
func world(t *testing.T) *evals.Harness {
	t.Helper()
	runnerOnce.Do(func() {
		cat, err := os.ReadFile("../evals/testdata/catalog.jsonl")
		if err != nil {
			runnerErr = err
			return
		}
		runner, runnerErr = evals.NewDialogueRunner(cat)
	})
	if runnerErr != nil {
		t.Fatal(runnerErr)
	}
	ctx := context.Background()
	h, err := runner.NewHarness(ctx, time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"u-1", "u-2"} {
		u := &sodam.User{ID: id, Address: "서울 종로구 대학로 12", Lat: 37.5820, Lng: 127.0018}
		if err := h.Store.UpsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func say(t *testing.T, a sodam.Assistant, user, msgID, text string) *sodam.Response {
	t.Helper()
	r, err := a.Respond(context.Background(), sodam.Turn{UserID: user, Text: text, MessageID: msgID})
	if err != nil {
		t.Fatalf("Respond(%q): %v", text, err)
	}
	return r
}

func paidOrders(t *testing.T, st sodam.Store, user string) []*sodam.Order {
	t.Helper()
	os, err := st.OrdersByUser(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	var out []*sodam.Order
	for _, o := range os {
		if o.Status != sodam.OrderDraft {
			out = append(out, o)
		}
	}
	return out
}

func TestConfirmationGuardsPayment(t *testing.T) {
	tests := []struct {
		name      string
		turns     []string
		wantPaid  int
		wantTotal int64
	}{
		{"confirmed after the total", []string{"교동치킨 후라이드 한 마리 시켜줘", "결제할게요", "네"}, 1, 19200},
		{"yes before any total", []string{"교동치킨 후라이드 한 마리 시켜줘", "네"}, 0, 0},
		{"declined", []string{"교동치킨 후라이드 한 마리 시켜줘", "결제할게요", "아니요"}, 0, 0},
		{"cart changed after the total", []string{"교동치킨 후라이드 한 마리 시켜줘", "결제할게요", "콜라도 추가해줘", "네"}, 0, 0},
		{"unrelated message between", []string{"교동치킨 후라이드 한 마리 시켜줘", "결제할게요", "내일 날씨 어때?", "네"}, 0, 0},
		{"yes with nothing pending", []string{"네", "응"}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := world(t)
			for i, text := range tc.turns {
				say(t, h.Assistant, "u-1", fmt.Sprint(i), text)
			}
			got := paidOrders(t, h.Store, "u-1")
			if len(got) != tc.wantPaid {
				t.Fatalf("got %d placed orders, want %d", len(got), tc.wantPaid)
			}
			if tc.wantPaid > 0 && got[0].Total != tc.wantTotal {
				t.Errorf("total = %d, want %d", got[0].Total, tc.wantTotal)
			}
			pays, err := h.Store.PaymentsByUser(context.Background(), "u-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(pays) != tc.wantPaid {
				t.Errorf("got %d payments, want %d", len(pays), tc.wantPaid)
			}
		})
	}
}

func TestMessageIDIdempotent(t *testing.T) {
	h := world(t)
	say(t, h.Assistant, "u-1", "m1", "교동치킨 후라이드 한 마리 시켜줘")
	say(t, h.Assistant, "u-1", "m2", "결제할게요")
	first := say(t, h.Assistant, "u-1", "m3", "네")
	again := say(t, h.Assistant, "u-1", "m3", "네")
	if first.Text != again.Text {
		t.Errorf("repeated message got another reply:\n%s\nvs\n%s", first.Text, again.Text)
	}
	// The same add, retried, adds nothing.
	say(t, h.Assistant, "u-1", "m4", "교동치킨 콜라 하나 시켜줘")
	say(t, h.Assistant, "u-1", "m4", "교동치킨 콜라 하나 시켜줘")
	if n := len(paidOrders(t, h.Store, "u-1")); n != 1 {
		t.Errorf("got %d placed orders, want 1", n)
	}
	pays, _ := h.Store.PaymentsByUser(context.Background(), "u-1")
	if len(pays) != 1 {
		t.Errorf("got %d payments, want 1", len(pays))
	}
	orders, _ := h.Store.OrdersByUser(context.Background(), "u-1")
	for _, o := range orders {
		if o.Status == sodam.OrderDraft && (len(o.Items) != 1 || o.Items[0].Quantity != 1) {
			t.Errorf("retried add changed the cart: %+v", o.Items)
		}
	}
}

func TestStateResumesAcrossInstances(t *testing.T) {
	h := world(t)
	say(t, h.Assistant, "u-1", "", "교동치킨 후라이드 한 마리 시켜줘")
	r := say(t, h.Assistant, "u-1", "", "결제할게요")
	if !strings.Contains(r.Text, "19,200원") {
		t.Fatalf("confirmation does not show the total: %q", r.Text)
	}
	// A new assistant over the same store, as after a restart.
	b, err := h.Store.LoadDialogue(context.Background(), "u-1")
	if err != nil || len(b) == 0 {
		t.Fatalf("no saved state: %v", err)
	}
	fresh := h.NewAssistant()
	say(t, fresh, "u-1", "", "네")
	if n := len(paidOrders(t, h.Store, "u-1")); n != 1 {
		t.Errorf("after a restart the confirmation was lost: %d placed orders", n)
	}
}

func TestBookingDeclineReleasesSeats(t *testing.T) {
	h := world(t)
	ctx := context.Background()
	before, err := h.Store.Session(ctx, "s-004-1")
	if err != nil {
		t.Fatal(err)
	}
	r := say(t, h.Assistant, "u-1", "", "성시경 콘서트 12월 24일 R석 2장 예매해줘")
	if !strings.Contains(r.Text, "308,000원") {
		t.Errorf("hold does not show the total: %q", r.Text)
	}
	say(t, h.Assistant, "u-1", "", "아니요")
	after, _ := h.Store.Session(ctx, "s-004-1")
	if after.Seats["R"].Available != before.Seats["R"].Available {
		t.Errorf("R seats: %d after decline, want %d", after.Seats["R"].Available, before.Seats["R"].Available)
	}
	bs, _ := h.Store.BookingsByUser(ctx, "u-1")
	if len(bs) != 1 || bs[0].Status != sodam.BookingCancelled {
		t.Errorf("bookings = %+v, want one cancelled", bs)
	}
}

func TestResponsesAreRich(t *testing.T) {
	h := world(t)
	r := say(t, h.Assistant, "u-1", "", "근처 치킨집 찾아줘")
	if r.List == nil || len(r.List.Items) == 0 || len(r.Cards) == 0 {
		t.Fatalf("search: want a list and cards, got %+v", r)
	}
	if !strings.HasPrefix(r.List.Items[0].Title, "1. 교동치킨") {
		t.Errorf("nearest first: got %q", r.List.Items[0].Title)
	}
	r = say(t, h.Assistant, "u-1", "", "교동치킨 메뉴 보여줘")
	var discounted bool
	for _, c := range r.Cards {
		if c.ID == "i-001-01" && c.Price == 16200 && c.BasePrice == 18000 {
			discounted = true
		}
	}
	if !discounted {
		t.Errorf("menu: want 후라이드치킨 at 16,200원 down from 18,000원 in %+v", r.Cards)
	}
	say(t, h.Assistant, "u-1", "", "후라이드 한 마리 주문할게")
	r = say(t, h.Assistant, "u-1", "", "결제할게요")
	if len(r.QuickReplies) != 2 || r.QuickReplies[0].Label != "네" || r.QuickReplies[1].Label != "아니요" {
		t.Errorf("confirmation quick replies = %+v", r.QuickReplies)
	}
}

func TestConcurrentUsers(t *testing.T) {
	h := world(t)
	var wg sync.WaitGroup
	for _, u := range []string{"u-1", "u-2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, text := range []string{"교동치킨 후라이드 한 마리 시켜줘", "결제할게요", "네"} {
				if _, err := h.Assistant.Respond(context.Background(), sodam.Turn{UserID: u, Text: text, MessageID: fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, u := range []string{"u-1", "u-2"} {
		if n := len(paidOrders(t, h.Store, u)); n != 1 {
			t.Errorf("%s: %d placed orders, want 1", u, n)
		}
	}
}

var _ sodam.Assistant = (*assistant.Assistant)(nil)

// TestResentMessageGetsTheSameReply: a message resent with its id (after
// a reconnect, perhaps to another server) gets the reply it had and acts
// no second time, also once other turns came after it.
func TestResentMessageGetsTheSameReply(t *testing.T) {
	h := world(t)
	say(t, h.Assistant, "u-1", "m-1", "교동치킨 후라이드 한 마리 시켜줘")
	say(t, h.Assistant, "u-1", "m-2", "결제할게요")
	paid := say(t, h.Assistant, "u-1", "m-3", "네")
	say(t, h.Assistant, "u-1", "m-4", "고마워요")
	again := say(t, h.Assistant, "u-1", "m-3", "네")
	if again.Text != paid.Text || again.Intent != paid.Intent || len(again.Cards) != len(paid.Cards) {
		t.Errorf("resent m-3 got %q (%s), want the first reply %q (%s)", again.Text, again.Intent, paid.Text, paid.Intent)
	}
	if n := len(paidOrders(t, h.Store, "u-1")); n != 1 {
		t.Errorf("%d paid orders after the resend, want 1", n)
	}
}
