// Package ledgertest checks an implementation of sandboxpay.Ledger: the
// ledger's own contract, and that two providers sharing the ledger, as
// two servers on one database do, act as one gateway. Each
// implementation's tests call Run.
package ledgertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
)

// Open returns two handles on one new, empty ledger, as two servers
// would hold them: for a ledger in memory, the same value twice; for one
// in a database, two connections to it.
type Open func(t *testing.T) (a, b sandboxpay.Ledger)

// Run runs every check, each on a ledger of its own.
func Run(t *testing.T, open Open) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, a, b sandboxpay.Ledger)
	}{
		{"Update", testUpdate},
		{"UpdateFailureStoresNothing", testUpdateFailure},
		{"Totals", testTotals},
		{"SharedProviders", testSharedProviders},
		{"ConcurrentApproveChargesOnce", testConcurrentApprove},
		{"ConcurrentPaymentsOfOneOrder", testConcurrentOrder},
		{"ConcurrentCancelRefundsOnce", testConcurrentCancel},
		{"FaultsStayWithTheirProvider", testFaults},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := open(t)
			tc.run(t, a, b)
		})
	}
}

var seoul = time.FixedZone("KST", 9*60*60)

var clock = sodam.ClockFunc(func() time.Time { return time.Date(2026, 11, 24, 18, 0, 0, 0, seoul) })

// record returns a ready payment of order.
func record(tid, order string, amount int64) *sandboxpay.Record {
	return &sandboxpay.Record{
		Ticket: sodam.PaymentTicket{TID: tid, RedirectURL: "https://sodam.example/pay/sandbox/" + tid, CreatedAt: clock.Now()},
		Request: sodam.PaymentReadyRequest{
			PartnerOrderID: order, PartnerUserID: "u-1", ItemName: "교동치킨 후라이드", Quantity: 1,
			TotalAmount: amount, Method: sodam.PayKakaoPay, ApprovalURL: "https://sodam.example/pay/approve",
		},
		Token:  "token-" + tid,
		Status: sandboxpay.StatusReady,
	}
}

// add stores rec, a new payment.
func add(t *testing.T, l sandboxpay.Ledger, rec *sandboxpay.Record) {
	t.Helper()
	err := l.Update(context.Background(), rec.Request.PartnerOrderID, func([]*sandboxpay.Record) (*sandboxpay.Record, error) {
		return rec.Clone(), nil
	})
	if err != nil {
		t.Fatalf("add %s: %v", rec.TID(), err)
	}
}

func get(t *testing.T, l sandboxpay.Ledger, tid string) *sandboxpay.Record {
	t.Helper()
	rec, err := l.Get(context.Background(), tid)
	if err != nil {
		t.Fatalf("Get %s: %v", tid, err)
	}
	return rec
}

func tids(pays []*sandboxpay.Record) []string {
	var out []string
	for _, p := range pays {
		out = append(out, p.TID())
	}
	return out
}

func testUpdate(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	if _, err := a.Get(ctx, "T-none"); sodam.ErrorCode(err) != sodam.ENOTFOUND {
		t.Errorf("Get of an unknown TID: %v, want not found", err)
	}

	first := record("T-1", "order-1", 19200)
	add(t, a, first)
	if diff := cmp.Diff(first, get(t, b, "T-1")); diff != "" {
		t.Errorf("payment read through the other handle (-stored +read):\n%s", diff)
	}
	add(t, b, record("T-2", "order-1", 21000))
	add(t, a, record("T-3", "order-2", 5000))
	add(t, a, record("T-4", "order-1", 22000))

	var seen []string
	err := b.Update(ctx, "order-1", func(pays []*sandboxpay.Record) (*sandboxpay.Record, error) {
		seen = tids(pays)
		pays[1].Status = sandboxpay.StatusSuccess
		pays[1].Approval = &sodam.PaymentApproval{AID: "A-2", TID: "T-2", Amount: 21000, MethodType: "MONEY", ApprovedAt: clock.Now()}
		return nil, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if want := []string{"T-1", "T-2", "T-4"}; !cmp.Equal(seen, want) {
		t.Errorf("Update gave %v, want the order's payments oldest first %v", seen, want)
	}
	got := get(t, a, "T-2")
	if got.Status != sandboxpay.StatusSuccess || got.Approval == nil || got.Approval.AID != "A-2" || !got.Approval.ApprovedAt.Equal(clock.Now()) {
		t.Errorf("after Update: %+v, approval %+v", got, got.Approval)
	}
	if got := get(t, a, "T-1"); got.Status != sandboxpay.StatusReady {
		t.Errorf("an unchanged payment became %s", got.Status)
	}

	err = a.Update(ctx, "order-new", func(pays []*sandboxpay.Record) (*sandboxpay.Record, error) {
		seen = tids(pays)
		return nil, nil
	})
	if err != nil || len(seen) != 0 {
		t.Errorf("Update of an order without payments: %v, gave %v", err, seen)
	}

	// The records handed to fn and returned by Get are copies.
	got = get(t, a, "T-1")
	got.Status = sandboxpay.StatusCancel
	if again := get(t, a, "T-1"); again.Status != sandboxpay.StatusReady {
		t.Errorf("changing a record Get returned changed the ledger: %s", again.Status)
	}
}

func testUpdateFailure(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	add(t, a, record("T-1", "order-1", 10000))
	errNo := errors.New("no")

	cases := []struct {
		name string
		add  *sandboxpay.Record
		err  error // fn's error
		code string
	}{
		{"fn fails", record("T-2", "order-1", 1000), errNo, ""},
		{"TID already kept", record("T-1", "order-1", 1000), nil, "any"},
		{"payment of another order", record("T-3", "order-2", 1000), nil, "any"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Update(ctx, "order-1", func(pays []*sandboxpay.Record) (*sandboxpay.Record, error) {
				pays[0].Status = sandboxpay.StatusFailPayment
				return tc.add, tc.err
			})
			switch {
			case tc.err != nil && err != tc.err:
				t.Errorf("Update: %v, want fn's error as it is", err)
			case tc.err == nil && err == nil:
				t.Error("Update stored a payment it should refuse")
			}
			if got := get(t, a, "T-1"); got.Status != sandboxpay.StatusReady || got.Request.TotalAmount != 10000 {
				t.Errorf("a failed Update changed T-1: %s, %d원", got.Status, got.Request.TotalAmount)
			}
			if tc.add.TID() != "T-1" {
				if _, err := a.Get(ctx, tc.add.TID()); sodam.ErrorCode(err) != sodam.ENOTFOUND {
					t.Errorf("a failed Update added %s: %v", tc.add.TID(), err)
				}
			}
		})
	}
}

func testTotals(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	if got, err := b.Totals(ctx); err != nil || got != (sandboxpay.Totals{}) {
		t.Fatalf("Totals of an empty ledger: %+v, %v", got, err)
	}
	add(t, a, record("T-1", "order-1", 10000))
	add(t, a, record("T-2", "order-2", 20000))
	add(t, b, record("T-3", "order-3", 40000))
	charge := func(l sandboxpay.Ledger, order string, cancelled int64, refunds int) {
		t.Helper()
		err := l.Update(ctx, order, func(pays []*sandboxpay.Record) (*sandboxpay.Record, error) {
			p := pays[0]
			p.Approval = &sodam.PaymentApproval{AID: "A-" + order, TID: p.TID(), Amount: p.Request.TotalAmount, ApprovedAt: clock.Now()}
			p.Status, p.Cancelled, p.Refunds = sandboxpay.StatusSuccess, cancelled, refunds
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	charge(a, "order-1", 0, 0)
	charge(b, "order-2", 20000, 2)
	want := sandboxpay.Totals{Charges: 2, Charged: 30000, Refunds: 2, Refunded: 20000}
	for name, l := range map[string]sandboxpay.Ledger{"a": a, "b": b} {
		if got, err := l.Totals(ctx); err != nil || got != want {
			t.Errorf("Totals through %s: %+v, %v; want %+v", name, got, err, want)
		}
	}
}

// providers returns two providers on the ledger's two handles.
func providers(a, b sandboxpay.Ledger) (p1, p2 *sandboxpay.Provider) {
	return sandboxpay.NewWithLedger("https://sodam.example/", clock, a), sandboxpay.NewWithLedger("https://sodam.example/", clock, b)
}

func readyReq(order string, amount int64) sodam.PaymentReadyRequest {
	return sodam.PaymentReadyRequest{
		PartnerOrderID: order, PartnerUserID: "u-1", ItemName: "교동치킨 후라이드 외 1건",
		Quantity: 1, TotalAmount: amount, Method: sodam.PayKakaoPay,
		ApprovalURL: "https://sodam.example/pay/approve?payment=p-1",
	}
}

func approveReq(tk *sodam.PaymentTicket, order string, amount int64) sodam.PaymentApproveRequest {
	return sodam.PaymentApproveRequest{TID: tk.TID, PartnerOrderID: order, PartnerUserID: "u-1", PGToken: tk.AutoApproveToken, TotalAmount: amount}
}

func mustReady(t *testing.T, p *sandboxpay.Provider, order string, amount int64) *sodam.PaymentTicket {
	t.Helper()
	tk, err := p.Ready(context.Background(), readyReq(order, amount))
	if err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return tk
}

func wantStatus(t *testing.T, p *sandboxpay.Provider, tid, status string, cancelled int64) {
	t.Helper()
	got, err := p.Lookup(context.Background(), tid)
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if got.Status != status || got.CancelledAmount != cancelled {
		t.Errorf("Lookup: status %s, cancelled %d; want %s, %d", got.Status, got.CancelledAmount, status, cancelled)
	}
}

func wantTotals(t *testing.T, want sandboxpay.Totals, ps ...*sandboxpay.Provider) {
	t.Helper()
	for k, p := range ps {
		got, err := p.Totals(context.Background())
		if err != nil || got != want {
			t.Errorf("provider %d: totals %+v, %v; want %+v", k+1, got, err, want)
		}
	}
}

// Ready on one provider, approve on the other, refund on both: the two
// are one gateway.
func testSharedProviders(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	p1, p2 := providers(a, b)

	tk := mustReady(t, p1, "order-1", 20000)
	if again := mustReady(t, p2, "order-1", 20000); again.TID != tk.TID || again.AutoApproveToken != tk.AutoApproveToken {
		t.Errorf("Ready again through the other provider: %+v, want the ticket %+v", again, tk)
	}
	wantStatus(t, p2, tk.TID, sandboxpay.StatusReady, 0)

	// The approval page of either server shows the payment.
	srv := httptest.NewServer(p2.Handler())
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/pay/sandbox/" + tk.TID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "20,000원") {
		t.Errorf("page through the other provider: status %d, body:\n%s", res.StatusCode, body)
	}

	a1, err := p2.Approve(ctx, approveReq(tk, "order-1", 20000))
	if err != nil {
		t.Fatalf("Approve through the other provider: %v", err)
	}
	a2, err := p1.Approve(ctx, approveReq(tk, "order-1", 20000))
	if err != nil || a2.AID != a1.AID || !a2.ApprovedAt.Equal(a1.ApprovedAt) {
		t.Errorf("Approve again through the first: %+v, %v; want %+v", a2, err, a1)
	}
	if _, err := p1.Ready(ctx, readyReq("order-1", 20000)); sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("Ready for the paid order: %v, want conflict", err)
	}
	wantStatus(t, p1, tk.TID, sandboxpay.StatusSuccess, 0)
	wantTotals(t, sandboxpay.Totals{Charges: 1, Charged: 20000}, p1, p2)

	c, err := p1.Cancel(ctx, sodam.PaymentCancelRequest{TID: tk.TID, CancelAmount: 5000})
	if err != nil || c.Status != sandboxpay.StatusPartCancel || c.CancelledAmount != 5000 {
		t.Fatalf("part Cancel: %+v, %v", c, err)
	}
	wantStatus(t, p2, tk.TID, sandboxpay.StatusPartCancel, 5000)
	if _, err := p2.Cancel(ctx, sodam.PaymentCancelRequest{TID: tk.TID, CancelAmount: 15001}); sodam.ErrorCode(err) != sodam.EINVALID {
		t.Errorf("Cancel of more than is left, through the other: %v, want invalid", err)
	}
	c, err = p2.Cancel(ctx, sodam.PaymentCancelRequest{TID: tk.TID, CancelAmount: 15000})
	if err != nil || c.Status != sandboxpay.StatusCancel || c.CancelledAmount != 20000 {
		t.Fatalf("Cancel of the rest through the other: %+v, %v", c, err)
	}
	wantStatus(t, p1, tk.TID, sandboxpay.StatusCancel, 20000)
	wantStatus(t, p2, tk.TID, sandboxpay.StatusCancel, 20000)
	wantTotals(t, sandboxpay.Totals{Charges: 1, Charged: 20000, Refunds: 2, Refunded: 20000}, p1, p2)
	if p1.Charges() != 1 || p2.Refunds() != 2 || p2.RefundedAmount() != 20000 || p1.ChargedAmount() != 20000 {
		t.Errorf("counters: %d charges, %d원; %d refunds, %d원", p1.Charges(), p1.ChargedAmount(), p2.Refunds(), p2.RefundedAmount())
	}

	for _, p := range []*sandboxpay.Provider{p1, p2} {
		if _, err := p.Lookup(ctx, "T0000000000000000000"); sodam.ErrorCode(err) != sodam.ENOTFOUND {
			t.Errorf("Lookup of an unknown TID: %v, want not found", err)
		}
		if _, err := p.Cancel(ctx, sodam.PaymentCancelRequest{TID: "T0000000000000000000", CancelAmount: 1}); sodam.ErrorCode(err) != sodam.ENOTFOUND {
			t.Errorf("Cancel of an unknown TID: %v, want not found", err)
		}
	}
}

// race runs fns at once, as far as goroutines allow, and waits for them.
func race(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		wg.Go(func() {
			<-start
			fn()
		})
	}
	close(start)
	wg.Wait()
}

func testConcurrentApprove(t *testing.T, a, b sandboxpay.Ledger) {
	p1, p2 := providers(a, b)
	tk := mustReady(t, p1, "order-1", 30000)
	aids := make([]string, 16)
	var fns []func()
	for k := range aids {
		p := []*sandboxpay.Provider{p1, p2}[k%2]
		fns = append(fns, func() {
			ap, err := p.Approve(context.Background(), approveReq(tk, "order-1", 30000))
			if err != nil {
				t.Errorf("Approve: %v", err)
				return
			}
			aids[k] = ap.AID
		})
	}
	race(fns...)
	for _, aid := range aids {
		if aid != aids[0] {
			t.Fatalf("approvals differ: %s and %s", aids[0], aid)
		}
	}
	wantTotals(t, sandboxpay.Totals{Charges: 1, Charged: 30000}, p1, p2)
	wantStatus(t, p2, tk.TID, sandboxpay.StatusSuccess, 0)
}

// Two payments of one order (the cart changed between them) approved at
// once through two servers: the order is charged once.
func testConcurrentOrder(t *testing.T, a, b sandboxpay.Ledger) {
	p1, p2 := providers(a, b)
	const orders = 8
	var fns []func()
	results := make([][2]error, orders)
	for k := range orders {
		order := fmt.Sprintf("order-%d", k)
		first := mustReady(t, p1, order, 10000)
		second := mustReady(t, p2, order, 12000)
		fns = append(fns,
			func() { _, results[k][0] = p1.Approve(context.Background(), approveReq(first, order, 10000)) },
			func() { _, results[k][1] = p2.Approve(context.Background(), approveReq(second, order, 12000)) })
	}
	race(fns...)
	var charged int64
	for k, r := range results {
		ok0, ok1 := r[0] == nil, r[1] == nil
		switch {
		case ok0 == ok1:
			t.Errorf("order-%d: approvals %v and %v; want one charged and one conflict", k, r[0], r[1])
		case ok0 && sodam.ErrorCode(r[1]) != sodam.ECONFLICT, ok1 && sodam.ErrorCode(r[0]) != sodam.ECONFLICT:
			t.Errorf("order-%d: refused approval %v, want conflict", k, r)
		case ok0:
			charged += 10000
		default:
			charged += 12000
		}
	}
	wantTotals(t, sandboxpay.Totals{Charges: orders, Charged: charged}, p1, p2)
}

func testConcurrentCancel(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	p1, p2 := providers(a, b)
	tk := mustReady(t, p2, "order-1", 18000)
	if _, err := p1.Approve(ctx, approveReq(tk, "order-1", 18000)); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 8)
	var fns []func()
	for k := range errs {
		p := []*sandboxpay.Provider{p1, p2}[k%2]
		fns = append(fns, func() {
			_, errs[k] = p.Cancel(ctx, sodam.PaymentCancelRequest{TID: tk.TID, CancelAmount: 18000})
		})
	}
	race(fns...)
	var ok int
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case sodam.ErrorCode(err) != sodam.ECONFLICT:
			t.Errorf("Cancel: %v, want conflict for all but one", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d cancellations refunded, want 1", ok)
	}
	wantTotals(t, sandboxpay.Totals{Charges: 1, Charged: 18000, Refunds: 1, Refunded: 18000}, p1, p2)
	wantStatus(t, p1, tk.TID, sandboxpay.StatusCancel, 18000)
}

// Injected failures and declines belong to the provider they were
// injected in; what they leave in the books is seen by both.
func testFaults(t *testing.T, a, b sandboxpay.Ledger) {
	ctx := context.Background()
	p1, p2 := providers(a, b)
	tk := mustReady(t, p1, "order-1", 1000)

	p1.FailNext(sandboxpay.OpApprove, errors.New("connection refused"))
	p1.DeclineNext()
	if _, err := p1.Approve(ctx, approveReq(tk, "order-1", 1000)); sodam.ErrorCode(err) != sodam.EUNAVAILABLE {
		t.Errorf("Approve with a failure injected: %v, want unavailable", err)
	}
	wantStatus(t, p2, tk.TID, sandboxpay.StatusReady, 0)

	other := mustReady(t, p2, "order-2", 2000)
	if _, err := p2.Approve(ctx, approveReq(other, "order-2", 2000)); err != nil {
		t.Errorf("Approve through the provider without faults: %v", err)
	}
	if _, err := p1.Approve(ctx, approveReq(tk, "order-1", 1000)); sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("declined Approve: %v, want conflict", err)
	}
	wantStatus(t, p2, tk.TID, sandboxpay.StatusFailPayment, 0)
	if _, err := p2.Approve(ctx, approveReq(tk, "order-1", 1000)); sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("Approve of the declined payment through the other: %v, want conflict", err)
	}
	wantTotals(t, sandboxpay.Totals{Charges: 1, Charged: 2000}, p1, p2)
}
