package merchant_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/tools"
)

func TestKeys(t *testing.T) { forEachStore(t, testKeys) }

func testKeys(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	key, acct, err := e.svc.IssueKey(ctx, "m-1")
	if err != nil {
		t.Fatal(err)
	}
	if acct.Kind != sodam.ChannelMerchant || acct.Name != "교동치킨 혜화점" {
		t.Errorf("account %+v, want the store m-1", acct)
	}
	if strings.Contains(string(acct.KeyHash), key) || len(acct.KeyHash) != 32 {
		t.Errorf("the key hash is not a SHA-256: %x", acct.KeyHash)
	}
	rotated, _, err := e.svc.IssueKey(ctx, "m-1")
	if err != nil {
		t.Fatal(err)
	}
	evKey, evAcct, err := e.svc.IssueKey(ctx, "ch-edam")
	if err != nil {
		t.Fatal(err)
	}
	if evAcct.Kind != sodam.ChannelEvents {
		t.Errorf("ch-edam kind %s, want events", evAcct.Kind)
	}
	// A key one character off: the last hex digit changed, whatever it is.
	last := "0"
	if strings.HasSuffix(rotated, "0") {
		last = "1"
	}
	offByOne := rotated[:len(rotated)-1] + last
	tests := []struct {
		name, key, want, code string
	}{
		{"rotated key", rotated, "m-1", ""},
		{"event channel", evKey, "ch-edam", ""},
		{"old key", key, "", sodam.EUNAUTHORIZED},
		{"empty", "", "", sodam.EUNAUTHORIZED},
		{"another channel's id", strings.Replace(rotated, "m-1", "m-2", 1), "", sodam.EUNAUTHORIZED},
		{"one byte off", offByOne, "", sodam.EUNAUTHORIZED},
		{"no prefix", strings.TrimPrefix(rotated, "sodam_"), "", sodam.EUNAUTHORIZED},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.svc.Authenticate(ctx, tc.key)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ChannelID != tc.want {
				t.Errorf("account %s, want %s", got.ChannelID, tc.want)
			}
		})
	}
	if rotated == key {
		t.Error("rotation gave the same key")
	}
	_, _, err = e.svc.IssueKey(ctx, "nobody")
	wantCode(t, err, sodam.ENOTFOUND)
}

func TestOrderSteps(t *testing.T) { forEachStore(t, testOrderSteps) }

func testOrderSteps(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	e.inbox.setOnline("u-1", true)
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	o := e.order(t, "u-1", "i-1")

	inbox, err := e.svc.Inbox(ctx, m1, merchant.InboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 1 || inbox[0].ID != o.ID || inbox[0].Status != sodam.OrderPaid {
		t.Fatalf("inbox %v, want the paid order %s", inbox, o.ID)
	}
	if other, _ := e.svc.Inbox(ctx, m2, merchant.InboxFilter{}); len(other) != 0 {
		t.Errorf("another store sees %d orders", len(other))
	}

	bad := []struct {
		name  string
		acct  *sodam.MerchantAccount
		order string
		to    sodam.OrderStatus
		code  string
	}{
		{"unknown order", m1, "o-999999", sodam.OrderAccepted, sodam.ENOTFOUND},
		{"another store's order", m2, o.ID, sodam.OrderAccepted, sodam.ENOTFOUND},
		{"delivered before cooking", m1, o.ID, sodam.OrderDelivered, sodam.ECONFLICT},
		{"cooking before accepting", m1, o.ID, sodam.OrderCooking, sodam.ECONFLICT},
		{"not a step", m1, o.ID, sodam.OrderCancelled, sodam.EINVALID},
		{"made-up status", m1, o.ID, "eaten", sodam.EINVALID},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.Advance(ctx, tc.acct, tc.order, tc.to)
			wantCode(t, err, tc.code)
			if got, _ := e.store.Order(ctx, o.ID); got.Status != sodam.OrderPaid {
				t.Errorf("status %s after a refused step, want paid", got.Status)
			}
		})
	}
	if got := e.inbox.texts("u-1"); len(got) != 0 {
		t.Fatalf("refused steps told the customer %q", got)
	}

	for _, to := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered} {
		v, err := e.svc.Advance(ctx, m1, o.ID, to)
		if err != nil {
			t.Fatalf("Advance(%s): %v", to, err)
		}
		if v.Status != to {
			t.Errorf("status %s, want %s", v.Status, to)
		}
	}
	v, err := e.svc.Order(ctx, m1, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range v.Steps {
		steps = append(steps, string(s.From)+">"+string(s.To))
	}
	want := []string{"paid>accepted", "accepted>cooking", "cooking>delivering", "delivering>delivered"}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	var statuses []string
	for _, n := range e.inbox.notices("u-1") {
		statuses = append(statuses, n.Status)
	}
	if diff := cmp.Diff([]string{"accepted", "cooking", "delivering", "delivered"}, statuses); diff != "" {
		t.Errorf("notices to the customer (-want +got):\n%s", diff)
	}
	_, err = e.svc.Advance(ctx, m1, o.ID, sodam.OrderDelivered)
	wantCode(t, err, sodam.ECONFLICT)
}

func TestReject(t *testing.T) { forEachStore(t, testReject) }

func testReject(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	e.inbox.setOnline("u-1", true)
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	o := e.order(t, "u-1", "i-1")

	_, err := e.svc.Reject(ctx, m1, o.ID, "  ")
	wantCode(t, err, sodam.EINVALID)
	_, err = e.svc.Reject(ctx, m2, o.ID, "재료 소진")
	wantCode(t, err, sodam.ENOTFOUND)

	// Two rejections at once: one refunds, the other finds it done.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Reject(ctx, m1, o.ID, "재료가 다 떨어졌어요")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !sodam.IsCode(err, sodam.ECONFLICT) {
			t.Errorf("a concurrent rejection failed with %v, want conflict", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d rejections succeeded, want 1", ok)
	}
	got, _ := e.store.Order(ctx, o.ID)
	if got.Status != sodam.OrderCancelled {
		t.Errorf("order %s, want cancelled", got.Status)
	}
	p, _ := e.store.Payment(ctx, got.PaymentID)
	if p.Status != sodam.PaymentCancelled {
		t.Errorf("payment %s, want cancelled", p.Status)
	}
	at, err := e.pay.Lookup(ctx, p.TID)
	if err != nil {
		t.Fatal(err)
	}
	if at.CancelledAmount != p.Amount {
		t.Errorf("refunded %d at the provider, want %d once", at.CancelledAmount, p.Amount)
	}
	texts := e.inbox.texts("u-1")
	if len(texts) != 1 || !strings.Contains(texts[0], "재료가 다 떨어졌어요") || !strings.Contains(texts[0], "환불") {
		t.Errorf("customer told %q, want one rejection with the reason and the refund", texts)
	}

	// A cooking order is not rejected any more.
	o2 := e.order(t, "u-1", "i-2")
	for _, to := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking} {
		if _, err := e.svc.Advance(ctx, m1, o2.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.svc.Reject(ctx, m1, o2.ID, "늦어서")
	wantCode(t, err, sodam.ECONFLICT)
}

func TestRefundFailureChangesNothing(t *testing.T) { forEachStore(t, testRefundFailureChangesNothing) }

func testRefundFailureChangesNothing(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	m1 := e.account(t, "m-1")
	o := e.order(t, "u-1", "i-1")
	e.pay.FailNext("cancel", sodam.Errorf(sodam.EUNAVAILABLE, "down"))
	_, err := e.svc.Reject(ctx, m1, o.ID, "재료 소진")
	wantCode(t, err, sodam.EUNAVAILABLE)
	if got, _ := e.store.Order(ctx, o.ID); got.Status != sodam.OrderPaid {
		t.Fatalf("order %s after a failed refund, want paid", got.Status)
	}
	if _, err := e.svc.Reject(ctx, m1, o.ID, "재료 소진"); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

func TestComplaintsAndInquiries(t *testing.T) { forEachStore(t, testComplaintsAndInquiries) }

func testComplaintsAndInquiries(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	e.inbox.setOnline("u-1", true)
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	o := e.order(t, "u-1", "i-1")
	c, err := e.tb.FileComplaint(ctx, "u-1", tools.FileComplaintInput{Type: "cold", Text: "치킨이 식었어요"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.Complaints(ctx, m1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Order == nil || list[0].Order.ID != o.ID {
		t.Fatalf("complaints %v, want one with its order", list)
	}
	if other, _ := e.svc.Complaints(ctx, m2, true); len(other) != 0 {
		t.Errorf("another store sees %d complaints", len(other))
	}
	_, err = e.svc.ReplyComplaint(ctx, m2, c.Complaint.ID, "죄송합니다", true)
	wantCode(t, err, sodam.ENOTFOUND)
	if got, _ := e.store.Complaint(ctx, c.Complaint.ID); got.Reply != "" || got.Status != sodam.ComplaintOpen {
		t.Fatalf("another store's reply changed the complaint: %+v", got)
	}
	v, err := e.svc.ReplyComplaint(ctx, m1, c.Complaint.ID, "죄송해요, 다음 주문에 쿠폰 드릴게요.", true)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != sodam.ComplaintResolved || v.Reply == "" {
		t.Errorf("complaint %+v, want resolved with the reply", v.Complaint)
	}
	if got := e.inbox.texts("u-1"); len(got) != 1 || !strings.Contains(got[0], "쿠폰") {
		t.Errorf("customer told %q, want the reply", got)
	}

	q, err := e.svc.Ask(ctx, "u-1", "m-1", "주차 돼요?", []string{"교동치킨 어디 있어요?"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Answer(ctx, m2, q.ID, "네")
	wantCode(t, err, sodam.ENOTFOUND)
	qs, _ := e.svc.Inquiries(ctx, m1, false)
	if len(qs) != 1 || qs[0].Context[0] != "교동치킨 어디 있어요?" {
		t.Fatalf("inquiries %v, want the question with its context", qs)
	}
	if _, err := e.svc.Answer(ctx, m1, q.ID, "가게 앞에 2대 주차할 수 있어요."); err != nil {
		t.Fatal(err)
	}
	got := e.inbox.texts("u-1")
	if last := got[len(got)-1]; !strings.Contains(last, "주차 돼요?") || !strings.Contains(last, "2대") {
		t.Errorf("customer told %q, want the question and the answer", last)
	}
	_, err = e.svc.Ask(ctx, "u-1", "nowhere", "주차 돼요?", nil)
	wantCode(t, err, sodam.ENOTFOUND)
}

func ptr[T any](v T) *T { return &v }

func TestEditMenu(t *testing.T) { forEachStore(t, testEditMenu) }

func testEditMenu(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	m1, m2 := e.account(t, "m-1"), e.account(t, "m-2")
	until := refTime.Add(48 * 3600e9)
	tests := []struct {
		name string
		acct *sodam.MerchantAccount
		edit merchant.MenuEdit
		code string
	}{
		{"negative price", m1, merchant.MenuEdit{ID: "i-1", Price: ptr[int64](-1)}, sodam.EINVALID},
		{"discount over 100", m1, merchant.MenuEdit{ID: "i-1", DiscountPercent: ptr(120), DiscountUntil: &until}, sodam.EINVALID},
		{"discount without an end", m1, merchant.MenuEdit{ID: "i-1", DiscountPercent: ptr(10)}, sodam.EINVALID},
		{"another store's item", m2, merchant.MenuEdit{ID: "i-1", Price: ptr[int64](1)}, sodam.ENOTFOUND},
		{"new item without a price", m1, merchant.MenuEdit{Name: ptr("순살치킨")}, sodam.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.EditMenu(ctx, tc.acct, tc.edit)
			wantCode(t, err, tc.code)
			if it, _ := e.store.MenuItem(ctx, "i-1"); it.Price != 18000 || it.DiscountPercent != 0 {
				t.Errorf("item changed to %+v", it)
			}
		})
	}
	if e.reloads != 0 {
		t.Errorf("%d reloads after refused edits", e.reloads)
	}
	it, err := e.svc.EditMenu(ctx, m1, merchant.MenuEdit{ID: "i-1", Price: ptr[int64](17000), DiscountPercent: ptr(10), DiscountUntil: &until})
	if err != nil {
		t.Fatal(err)
	}
	if p := it.BasePriceAt(refTime); p != 15300 {
		t.Errorf("price now %d, want 15,300", p)
	}
	if _, err := e.svc.EditMenu(ctx, m1, merchant.MenuEdit{ID: "i-2", SoldOut: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	nu, err := e.svc.EditMenu(ctx, m1, merchant.MenuEdit{Name: ptr("마늘간장치킨"), Price: ptr[int64](20000)})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := e.store.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "마늘간장치킨"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].ID != nu.ID {
		t.Errorf("search for the new item found %v, want %s first", hits, nu.ID)
	}
	_, err = e.tb.CartAdd(ctx, "u-1", tools.CartAddInput{MenuItemID: "i-2"})
	wantCode(t, err, sodam.ECONFLICT)
	cart, err := e.tb.CartAdd(ctx, "u-1", tools.CartAddInput{MenuItemID: "i-1"})
	if err != nil {
		t.Fatal(err)
	}
	if cart.Cart.Items[0].UnitPrice != 15300 {
		t.Errorf("cart price %d, want the new 15,300", cart.Cart.Items[0].UnitPrice)
	}
	if e.reloads != 3 {
		t.Errorf("%d catalog reloads, want 3", e.reloads)
	}
}

func TestEventsView(t *testing.T) { forEachStore(t, testEventsView) }

func testEventsView(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	ch, m1 := e.account(t, "ch-edam"), e.account(t, "m-1")
	if _, err := e.tb.BookTickets(ctx, "u-1", tools.BookTicketsInput{SessionID: "s-1", SeatGrade: "R", TicketCount: 2}); err != nil {
		t.Fatal(err)
	}
	evs, err := e.svc.Events(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Sessions[0].Seats["R"].Available != 8 {
		t.Fatalf("events %+v, want e-1 with 8 R seats left", evs)
	}
	bs, err := e.svc.Bookings(ctx, ch, "e-1")
	if err != nil || len(bs) != 1 || bs[0].TicketCount != 2 {
		t.Fatalf("bookings %v, %v; want one of 2 tickets", bs, err)
	}
	_, err = e.svc.Bookings(ctx, m1, "e-1")
	wantCode(t, err, sodam.ENOTFOUND)
	_, err = e.svc.Inbox(ctx, ch, merchant.InboxFilter{})
	wantCode(t, err, sodam.ENOTFOUND)
}
