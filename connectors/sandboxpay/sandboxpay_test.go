package sandboxpay

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

var fixed = sodam.ClockFunc(func() time.Time { return time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul) })

func newProvider() *Provider { return New("https://sodam.example/", fixed) }

func readyReq(order string, amount int64) sodam.PaymentReadyRequest {
	return sodam.PaymentReadyRequest{
		PartnerOrderID: order, PartnerUserID: "u-1", ItemName: "교동치킨 후라이드 외 1건",
		Quantity: 1, TotalAmount: amount, Method: sodam.PayKakaoPay,
		ApprovalURL: "https://sodam.example/pay/approve?payment=p-1",
		CancelURL:   "https://sodam.example/pay/cancel", FailURL: "https://sodam.example/pay/fail",
	}
}

func approveReq(t *sodam.PaymentTicket, order string, amount int64) sodam.PaymentApproveRequest {
	return sodam.PaymentApproveRequest{TID: t.TID, PartnerOrderID: order, PartnerUserID: "u-1", PGToken: t.AutoApproveToken, TotalAmount: amount}
}

func mustReady(t *testing.T, p *Provider, order string, amount int64) *sodam.PaymentTicket {
	t.Helper()
	tk, err := p.Ready(context.Background(), readyReq(order, amount))
	if err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return tk
}

func wantStatus(t *testing.T, p *Provider, tid, status string, cancelled int64) {
	t.Helper()
	got, err := p.Lookup(context.Background(), tid)
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if got.Status != status || got.CancelledAmount != cancelled {
		t.Errorf("Lookup: status %s, cancelled %d; want %s, %d", got.Status, got.CancelledAmount, status, cancelled)
	}
}

func TestReady(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	a := mustReady(t, p, "order-1", 19200)
	b := mustReady(t, p, "order-2", 19200)
	tidRe := regexp.MustCompile(`^T[0-9]{19}$`)
	for _, tk := range []*sodam.PaymentTicket{a, b} {
		if !tidRe.MatchString(tk.TID) {
			t.Errorf("TID %q is not T and 19 digits", tk.TID)
		}
		if want := "https://sodam.example/pay/sandbox/" + tk.TID; tk.RedirectURL != want {
			t.Errorf("RedirectURL %q, want %q", tk.RedirectURL, want)
		}
		if tk.AutoApproveToken == "" {
			t.Error("no AutoApproveToken with AutoApprove on")
		}
	}
	if a.TID == b.TID || a.AutoApproveToken == b.AutoApproveToken {
		t.Errorf("two payments share TID or token: %+v %+v", a, b)
	}
	again := mustReady(t, p, "order-1", 19200)
	if again.TID != a.TID {
		t.Errorf("Ready again for a ready order gave TID %s, want %s", again.TID, a.TID)
	}
	changed := mustReady(t, p, "order-1", 21000)
	if changed.TID == a.TID {
		t.Error("Ready with a new amount reused the old TID")
	}
	wantStatus(t, p, a.TID, StatusReady, 0)

	manual := newProvider()
	manual.AutoApprove = false
	if tk := mustReady(t, manual, "order-1", 1000); tk.AutoApproveToken != "" {
		t.Errorf("AutoApproveToken %q with AutoApprove off", tk.AutoApproveToken)
	}

	bad := []struct {
		name string
		edit func(*sodam.PaymentReadyRequest)
	}{
		{"no order", func(r *sodam.PaymentReadyRequest) { r.PartnerOrderID = "" }},
		{"no user", func(r *sodam.PaymentReadyRequest) { r.PartnerUserID = "" }},
		{"zero amount", func(r *sodam.PaymentReadyRequest) { r.TotalAmount = 0 }},
		{"tax free above total", func(r *sodam.PaymentReadyRequest) { r.TaxFreeAmount = r.TotalAmount + 1 }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := readyReq("order-9", 1000)
			tc.edit(&r)
			_, err := p.Ready(ctx, r)
			if sodam.ErrorCode(err) != sodam.EINVALID {
				t.Errorf("Ready: %v, want invalid", err)
			}
		})
	}
}

func TestApprove(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	tk := mustReady(t, p, "order-1", 19200)

	refusals := []struct {
		name string
		edit func(*sodam.PaymentApproveRequest)
		code string
	}{
		{"unknown TID", func(r *sodam.PaymentApproveRequest) { r.TID = "T0000000000000000000" }, sodam.ENOTFOUND},
		{"other order", func(r *sodam.PaymentApproveRequest) { r.PartnerOrderID = "order-2" }, sodam.EINVALID},
		{"other user", func(r *sodam.PaymentApproveRequest) { r.PartnerUserID = "u-2" }, sodam.EINVALID},
		{"wrong token", func(r *sodam.PaymentApproveRequest) { r.PGToken = "nope" }, sodam.EUNAUTHORIZED},
		{"amount below ready", func(r *sodam.PaymentApproveRequest) { r.TotalAmount = 19100 }, sodam.EINVALID},
		{"amount above ready", func(r *sodam.PaymentApproveRequest) { r.TotalAmount = 19300 }, sodam.EINVALID},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := approveReq(tk, "order-1", 19200)
			tc.edit(&r)
			a, err := p.Approve(ctx, r)
			if sodam.ErrorCode(err) != tc.code || a != nil {
				t.Errorf("Approve: %v, %v; want %s", a, err, tc.code)
			}
			if sodam.ErrorMessage(err) == "" {
				t.Error("no message for the user")
			}
		})
	}
	if p.Charges() != 0 || p.ChargedAmount() != 0 {
		t.Fatalf("refused approvals charged: %d, %d원", p.Charges(), p.ChargedAmount())
	}
	wantStatus(t, p, tk.TID, StatusReady, 0)

	a, err := p.Approve(ctx, approveReq(tk, "order-1", 19200))
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	if a.TID != tk.TID || a.Amount != 19200 || a.MethodType != "MONEY" || a.AID == "" || !a.ApprovedAt.Equal(fixed.Now()) {
		t.Errorf("approval %+v", a)
	}
	again, err := p.Approve(ctx, approveReq(tk, "order-1", 19200))
	if err != nil || *again != *a {
		t.Errorf("second Approve: %+v, %v; want %+v", again, err, a)
	}
	if p.Charges() != 1 || p.ChargedAmount() != 19200 {
		t.Errorf("charges %d, %d원; want 1, 19,200원", p.Charges(), p.ChargedAmount())
	}
	wantStatus(t, p, tk.TID, StatusSuccess, 0)

	_, err = p.Ready(ctx, readyReq("order-1", 19200))
	if sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("Ready for a paid order: %v, want conflict", err)
	}
}

func TestApproveConcurrentChargesOnce(t *testing.T) {
	p := newProvider()
	tk := mustReady(t, p, "order-1", 30000)
	var wg sync.WaitGroup
	aids := make([]string, 30)
	for k := range aids {
		wg.Go(func() {
			a, err := p.Approve(context.Background(), approveReq(tk, "order-1", 30000))
			if err != nil {
				t.Errorf("Approve: %v", err)
				return
			}
			aids[k] = a.AID
		})
	}
	wg.Wait()
	for _, aid := range aids {
		if aid != aids[0] {
			t.Fatalf("approvals differ: %s and %s", aids[0], aid)
		}
	}
	if p.Charges() != 1 || p.ChargedAmount() != 30000 {
		t.Errorf("charges %d, %d원; want 1, 30,000원", p.Charges(), p.ChargedAmount())
	}
}

func TestSecondPaymentOfPaidOrderRefused(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	first := mustReady(t, p, "order-1", 10000)
	second := mustReady(t, p, "order-1", 12000) // the cart changed before paying
	if _, err := p.Approve(ctx, approveReq(second, "order-1", 12000)); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	_, err := p.Approve(ctx, approveReq(first, "order-1", 10000))
	if sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("approving a second payment of a paid order: %v, want conflict", err)
	}
	if p.Charges() != 1 {
		t.Errorf("%d charges, want 1", p.Charges())
	}
}

func TestCancel(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	ready := mustReady(t, p, "order-0", 5000)
	tk := mustReady(t, p, "order-1", 20000)
	if _, err := p.Approve(ctx, approveReq(tk, "order-1", 20000)); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name       string
		tid        string
		amount     int64
		code       string
		status     string
		cancelled  int64
		refunds    int
		refundedSo int64
	}{
		{"ready payment", ready.TID, 5000, sodam.ECONFLICT, StatusSuccess, 0, 0, 0},
		{"unknown TID", "T0000000000000000000", 100, sodam.ENOTFOUND, StatusSuccess, 0, 0, 0},
		{"zero amount", tk.TID, 0, sodam.EINVALID, StatusSuccess, 0, 0, 0},
		{"more than charged", tk.TID, 20001, sodam.EINVALID, StatusSuccess, 0, 0, 0},
		{"part", tk.TID, 5000, "", StatusPartCancel, 5000, 1, 5000},
		{"more than left", tk.TID, 15001, sodam.EINVALID, StatusPartCancel, 5000, 1, 5000},
		{"the rest", tk.TID, 15000, "", StatusCancel, 20000, 2, 20000},
		{"after full refund", tk.TID, 1, sodam.ECONFLICT, StatusCancel, 20000, 2, 20000},
	}
	for _, st := range steps {
		c, err := p.Cancel(ctx, sodam.PaymentCancelRequest{TID: st.tid, CancelAmount: st.amount})
		if got := sodam.ErrorCode(err); got != st.code {
			t.Fatalf("%s: Cancel error %v, want code %q", st.name, err, st.code)
		}
		if err == nil && (c.CancelledAmount != st.cancelled || c.Status != st.status || c.TID != st.tid) {
			t.Errorf("%s: cancellation %+v", st.name, c)
		}
		wantStatus(t, p, tk.TID, st.status, st.cancelled)
		if p.Refunds() != st.refunds || p.RefundedAmount() != st.refundedSo {
			t.Errorf("%s: refunds %d, %d원; want %d, %d원", st.name, p.Refunds(), p.RefundedAmount(), st.refunds, st.refundedSo)
		}
	}
	_, err := p.Approve(ctx, approveReq(tk, "order-1", 20000))
	if sodam.ErrorCode(err) != sodam.ECONFLICT {
		t.Errorf("Approve after cancel: %v, want conflict", err)
	}
	if p.Charges() != 1 {
		t.Errorf("%d charges, want 1", p.Charges())
	}
}

func TestInjectedFailures(t *testing.T) {
	ctx := context.Background()
	errDown := errors.New("connection refused")

	t.Run("FailNext", func(t *testing.T) {
		p := newProvider()
		tk := mustReady(t, p, "order-1", 1000)
		p.FailNext(OpApprove, errDown)
		p.FailNext(OpApprove, sodam.Errorf(sodam.ECONFLICT, "잔액이 부족해요."))
		_, err := p.Approve(ctx, approveReq(tk, "order-1", 1000))
		if sodam.ErrorCode(err) != sodam.EUNAVAILABLE || !errors.Is(err, errDown) {
			t.Errorf("first Approve: %v, want unavailable wrapping the cause", err)
		}
		_, err = p.Approve(ctx, approveReq(tk, "order-1", 1000))
		if sodam.ErrorCode(err) != sodam.ECONFLICT || sodam.ErrorMessage(err) != "잔액이 부족해요." {
			t.Errorf("second Approve: %v (%q), want the injected conflict", err, sodam.ErrorMessage(err))
		}
		wantStatus(t, p, tk.TID, StatusReady, 0)
		if _, err := p.Approve(ctx, approveReq(tk, "order-1", 1000)); err != nil {
			t.Errorf("third Approve: %v", err)
		}
		if p.Charges() != 1 {
			t.Errorf("%d charges, want 1", p.Charges())
		}
	})

	t.Run("Fault", func(t *testing.T) {
		p := newProvider()
		p.Fault = func(op string) error {
			if op == OpReady {
				return errDown
			}
			return nil
		}
		_, err := p.Ready(ctx, readyReq("order-1", 1000))
		if sodam.ErrorCode(err) != sodam.EUNAVAILABLE {
			t.Errorf("Ready: %v, want unavailable", err)
		}
		_, err = p.Lookup(ctx, "T0000000000000000000")
		if sodam.ErrorCode(err) != sodam.ENOTFOUND {
			t.Errorf("Lookup: %v, want not found (no fault for lookup)", err)
		}
	})

	t.Run("DeclineNext", func(t *testing.T) {
		p := newProvider()
		tk := mustReady(t, p, "order-1", 1000)
		p.DeclineNext()
		_, err := p.Approve(ctx, approveReq(tk, "order-1", 1000))
		if sodam.ErrorCode(err) != sodam.ECONFLICT {
			t.Errorf("declined Approve: %v, want conflict", err)
		}
		wantStatus(t, p, tk.TID, StatusFailPayment, 0)
		_, err = p.Approve(ctx, approveReq(tk, "order-1", 1000))
		if sodam.ErrorCode(err) != sodam.ECONFLICT {
			t.Errorf("Approve of a failed payment: %v, want conflict", err)
		}
		retry := mustReady(t, p, "order-1", 1000)
		if retry.TID == tk.TID {
			t.Error("Ready after a failure reused the failed TID")
		}
		if _, err := p.Approve(ctx, approveReq(retry, "order-1", 1000)); err != nil {
			t.Errorf("Approve of the retry: %v", err)
		}
		if p.Charges() != 1 {
			t.Errorf("%d charges, want 1", p.Charges())
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		p := newProvider()
		tk := mustReady(t, p, "order-1", 1000)
		done, cancel := context.WithCancel(ctx)
		cancel()
		_, err := p.Approve(done, approveReq(tk, "order-1", 1000))
		if sodam.ErrorCode(err) != sodam.EUNAVAILABLE || !errors.Is(err, context.Canceled) {
			t.Errorf("Approve: %v, want unavailable wrapping context.Canceled", err)
		}
		wantStatus(t, p, tk.TID, StatusReady, 0)
	})
}

// A slow approval completes at the provider although the caller gave up:
// the caller learns the outcome from Lookup, and approving again charges
// nothing more.
func TestSlowApproveSettledByLookup(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	tk := mustReady(t, p, "order-1", 25200)
	p.SetDelay(OpApprove, time.Hour)
	short, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	_, err := p.Approve(short, approveReq(tk, "order-1", 25200))
	if sodam.ErrorCode(err) != sodam.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Approve: %v, want unavailable wrapping the deadline", err)
	}
	wantStatus(t, p, tk.TID, StatusSuccess, 0)
	if p.Charges() != 1 || p.ChargedAmount() != 25200 {
		t.Errorf("charges %d, %d원; want 1, 25,200원", p.Charges(), p.ChargedAmount())
	}
	p.SetDelay(OpApprove, 0)
	if _, err := p.Approve(ctx, approveReq(tk, "order-1", 25200)); err != nil {
		t.Errorf("Approve again: %v", err)
	}
	if p.Charges() != 1 {
		t.Errorf("%d charges after approving again, want 1", p.Charges())
	}
}

func TestWon(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0원"}, {900, "900원"}, {1000, "1,000원"}, {18000, "18,000원"}, {165000, "165,000원"}, {1234567, "1,234,567원"}, {-5000, "-5,000원"}} {
		if got := won(tc.n); got != tc.want {
			t.Errorf("won(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
