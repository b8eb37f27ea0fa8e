package merchant_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/tools"
)

func TestOutboxDeliversInOrderOnce(t *testing.T) { forEachStore(t, testOutboxDeliversInOrderOnce) }

func testOutboxDeliversInOrderOnce(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	m1 := e.account(t, "m-1")
	o := e.order(t, "u-1", "i-1") // u-1 is not connected
	for _, to := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking} {
		if _, err := e.svc.Advance(ctx, m1, o.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.inbox.texts("u-1"); len(got) != 0 {
		t.Fatalf("an offline user got %q", got)
	}
	e.inbox.setOnline("u-1", true)
	if n := e.svc.Connected(ctx, "u-1"); n != 2 {
		t.Errorf("Connected delivered %d, want 2", n)
	}
	if _, err := e.svc.Advance(ctx, m1, o.ID, sodam.OrderDelivering); err != nil {
		t.Fatal(err)
	}
	if n := e.svc.Connected(ctx, "u-1"); n != 0 {
		t.Errorf("a second connection delivered %d again", n)
	}
	var got []string
	for _, n := range e.inbox.notices("u-1") {
		got = append(got, n.Status)
	}
	if diff := cmp.Diff([]string{"accepted", "cooking", "delivering"}, got); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

func TestBroadcast(t *testing.T) { forEachStore(t, testBroadcast) }

func testBroadcast(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t, func(c *merchant.Config) { c.BroadcastBurst, c.BroadcastEvery = 2, time.Hour })
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	for _, u := range []string{"u-on", "u-off", "u-gone"} {
		if err := e.store.UpsertUser(ctx, &sodam.User{ID: u, Subscriptions: []string{"m-1"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.UpsertUser(ctx, &sodam.User{ID: "u-other", Subscriptions: []string{"m-2"}}); err != nil {
		t.Fatal(err)
	}
	e.inbox.setOnline("u-on", true)
	if n, _ := e.svc.Audience(ctx, m1); n != 3 {
		t.Errorf("audience %d, want 3", n)
	}
	for i, text := range []string{"오늘 치킨 10% 할인해요", "내일은 쉬어요"} {
		b, err := e.svc.Broadcast(ctx, m1, text)
		if err != nil {
			t.Fatalf("broadcast %d: %v", i, err)
		}
		if b.Audience != 3 {
			t.Errorf("broadcast audience %d, want 3", b.Audience)
		}
	}
	_, err := e.svc.Broadcast(ctx, m1, "세 번째")
	wantCode(t, err, sodam.ECONFLICT)
	_, err = e.svc.Broadcast(ctx, m1, " ")
	wantCode(t, err, sodam.EINVALID)
	if _, err := e.svc.Broadcast(ctx, m2, "피자 소식"); err != nil {
		t.Errorf("another channel is limited by m-1's posts: %v", err)
	}
	e.clock.Add(time.Hour)
	if _, err := e.svc.Broadcast(ctx, m1, "다시 열었어요"); err != nil {
		t.Errorf("after an hour: %v", err)
	}

	want := []string{"[교동치킨 혜화점] 오늘 치킨 10% 할인해요", "[교동치킨 혜화점] 내일은 쉬어요", "[교동치킨 혜화점] 다시 열었어요"}
	if diff := cmp.Diff(want, e.inbox.texts("u-on")); diff != "" {
		t.Errorf("connected subscriber (-want +got):\n%s", diff)
	}
	// u-gone removes the channel before connecting: nothing arrives.
	if _, err := e.store.Unsubscribe(ctx, "u-gone", "m-1"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"u-off", "u-gone", "u-other"} {
		e.inbox.setOnline(u, true)
		e.svc.Connected(ctx, u)
		e.svc.Connected(ctx, u) // a second tab: nothing twice
	}
	if diff := cmp.Diff(want, e.inbox.texts("u-off")); diff != "" {
		t.Errorf("subscriber who connects later (-want +got):\n%s", diff)
	}
	if got := e.inbox.texts("u-gone"); len(got) != 0 {
		t.Errorf("a user who removed the channel got %q", got)
	}
	if got := e.inbox.texts("u-other"); len(got) != 1 || !strings.Contains(got[0], "피자 소식") {
		t.Errorf("m-2's subscriber got %q, want only m-2's news", got)
	}
	news, err := e.svc.News(ctx, "u-off", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(news) != 2 || news[0].Text != "다시 열었어요" {
		t.Errorf("news %+v, want the 2 latest, newest first", news)
	}
}

// TestSettlementReconciles generates a day of orders, some paid and
// delivered, some cancelled by the user, some rejected, and checks that
// the settlements add up exactly to the payments ledger.
func TestSettlementReconciles(t *testing.T) { forEachStore(t, testSettlementReconciles) }

func testSettlementReconciles(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	if _, err := e.svc.SetCommission(ctx, "m-2", 1250); err != nil {
		t.Fatal(err)
	}
	accts := map[string]*sodam.MerchantAccount{"m-1": m1, "m-2": m2}
	items := []string{"i-1", "i-2", "i-3"}
	for i := range 30 {
		user := fmt.Sprintf("u-%02d", i%7)
		item := items[i%3]
		o := e.order(t, user, item, item)
		e.clock.Add(7 * time.Minute)
		acct := accts[o.MerchantID]
		switch i % 5 {
		case 0: // rejected
			if _, err := e.svc.Reject(ctx, acct, o.ID, "재료 소진"); err != nil {
				t.Fatal(err)
			}
		case 1: // cancelled by the user
			if _, err := e.tb.CancelOrder(ctx, user, tools.CancelOrderInput{OrderID: o.ID}); err != nil {
				t.Fatal(err)
			}
		default:
			for _, to := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered} {
				if _, err := e.svc.Advance(ctx, acct, o.ID, to); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// Past midnight: a sale of the next day, and a refund of today's
	// sale that belongs to the next day.
	late := e.order(t, "u-late", "i-1", "i-1")
	e.clock.Add(6 * time.Hour)
	if _, err := e.svc.Reject(ctx, m1, late.ID, "영업 종료"); err != nil {
		t.Fatal(err)
	}
	e.order(t, "u-late", "i-3")

	sts, err := e.svc.Settle(ctx, refTime, "")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.store.Payments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	start, end := merchant.Day(refTime)
	in := func(t *time.Time) bool { return t != nil && !t.Before(start) && t.Before(end) }
	var ledgerSales, ledgerRefunds int64
	var nSales, nRefunds int
	for _, p := range ps {
		if in(p.ApprovedAt) {
			ledgerSales += p.Amount
			nSales++
		}
		if p.Status == sodam.PaymentCancelled && p.ApprovedAt != nil && in(p.CancelledAt) {
			ledgerRefunds += p.Amount
			nRefunds++
		}
	}
	var gross, refunds int64
	var lines, rlines int
	for _, st := range sts {
		gross += st.Gross
		refunds += st.Refunds
		lines += len(st.Sales)
		rlines += len(st.RefundLines)
		var sum, com int64
		for _, l := range st.Sales {
			sum += l.Amount
			com += merchant.Commission(l.Amount, st.CommissionBP)
		}
		for _, l := range st.RefundLines {
			com -= merchant.Commission(l.Amount, st.CommissionBP)
		}
		if sum != st.Gross || com != st.Commission {
			t.Errorf("%s: lines add to gross %d and commission %d, figures say %d and %d", st.ChannelID, sum, com, st.Gross, st.Commission)
		}
		if st.Net != st.Gross-st.Refunds || st.Payout != st.Net-st.Commission {
			t.Errorf("%s: net %d, payout %d do not follow from %+v", st.ChannelID, st.Net, st.Payout, st)
		}
	}
	if gross != ledgerSales || refunds != ledgerRefunds || lines != nSales || rlines != nRefunds {
		t.Errorf("settlements: gross %d (%d lines), refunds %d (%d lines); ledger: %d (%d), %d (%d)",
			gross, lines, refunds, rlines, ledgerSales, nSales, ledgerRefunds, nRefunds)
	}
	if nSales != 31 || nRefunds != 12 {
		t.Errorf("the generated day has %d sales and %d refunds, want 31 and 12", nSales, nRefunds)
	}
	for _, st := range sts {
		if st.ChannelID == "m-2" && st.CommissionBP != 1250 {
			t.Errorf("m-2 settled at %d bp, want its own 1250", st.CommissionBP)
		}
	}
	// The next day holds the late refund and the late sale.
	next, err := e.svc.Settle(ctx, refTime.AddDate(0, 0, 1), "m-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(next[0].RefundLines) != 1 || next[0].RefundLines[0].OrderID != late.ID || next[0].Gross != 0 {
		t.Errorf("m-1's next day %+v, want only the late refund", next[0])
	}
}

func TestCommissionRounding(t *testing.T) {
	tests := []struct {
		amount int64
		bp     int
		want   int64
	}{
		{19200, 1000, 1920},
		{19999, 1000, 1999},
		{16065, 1250, 2008}, // 2008.125 rounds down
		{1, 1000, 0},
		{0, 1000, 0},
		{50000, 0, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d at %d", tc.amount, tc.bp), func(t *testing.T) {
			if got := merchant.Commission(tc.amount, tc.bp); got != tc.want {
				t.Errorf("Commission(%d, %d) = %d, want %d", tc.amount, tc.bp, got, tc.want)
			}
		})
	}
}
