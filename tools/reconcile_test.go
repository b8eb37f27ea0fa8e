package tools_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/tools"
)

// lossyPay is the sandbox with the faults of a real network: while
// loseApprove is set an approval takes effect but its answer is lost (a
// timeout after the provider charged), and while lookupDown is set
// lookups fail as a 503 would.
type lossyPay struct {
	*sandboxpay.Provider
	loseApprove, lookupDown atomic.Bool
}

func (p *lossyPay) Approve(ctx context.Context, r sodam.PaymentApproveRequest) (*sodam.PaymentApproval, error) {
	a, err := p.Provider.Approve(ctx, r)
	if err == nil && p.loseApprove.Load() {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "test.Approve", Message: "결제 응답이 늦어지고 있어요.", Err: context.DeadlineExceeded}
	}
	return a, err
}

func (p *lossyPay) Lookup(ctx context.Context, tid string) (*sodam.ProviderPayment, error) {
	if p.lookupDown.Load() {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "test.Lookup", Err: errors.New("503 service unavailable")}
	}
	return p.Provider.Lookup(ctx, tid)
}

// withFaults rebuilds e's toolbox over a lossy provider.
func withFaults(e *env) *lossyPay {
	f := &lossyPay{Provider: e.pay}
	e.tb = tools.New(e.store, e.store.(sodam.Searcher), f, e.clock, tools.WithPlaces(places))
	return f
}

// lostApproval pays while the provider's answer to Approve is lost and
// lookups fail: the provider charges, the service does not know.
func lostApproval(t *testing.T, e *env, f *lossyPay, in tools.PayInput) {
	t.Helper()
	f.loseApprove.Store(true)
	f.lookupDown.Store(true)
	defer f.loseApprove.Store(false)
	defer f.lookupDown.Store(false)
	_, err := e.tb.Pay(bg, "u-1", in)
	wantCode(t, err, sodam.EUNAVAILABLE)
	if e.pay.Charges() != 1 {
		t.Fatalf("provider charges = %d, want 1 (the approval took effect)", e.pay.Charges())
	}
}

func ledger(t *testing.T, e *env, scope tools.LedgerScope) []tools.Problem {
	t.Helper()
	scope.Users = append(scope.Users, "u-1")
	scope.Provider = e.pay
	probs, err := tools.CheckLedger(bg, e.store, scope)
	must(t, err)
	return probs
}

func wantLedgerOK(t *testing.T, e *env, scope tools.LedgerScope) {
	t.Helper()
	for _, p := range ledger(t, e, scope) {
		t.Errorf("ledger: %s", p)
	}
}

func reconcile(t *testing.T, e *env, opts tools.ReconcileOptions) tools.ReconcileReport {
	t.Helper()
	rep, err := e.tb.Reconcile(bg, opts)
	must(t, err)
	return *rep
}

func TestReconcile(t *testing.T) { forEachStore(t, testReconcile) }

func testReconcile(t *testing.T, newEnv newEnvFunc) {
	t.Run("a lost approval is recorded and the order paid", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		f := withFaults(e)
		o := e.placedOrder(t)
		lostApproval(t, e, f, tools.PayInput{OrderID: o.ID})
		if probs := ledger(t, e, tools.LedgerScope{}); len(probs) != 1 || probs[0].Rule != tools.RuleProviderAgrees {
			t.Errorf("ledger before reconciling = %v, want one %s", probs, tools.RuleProviderAgrees)
		}

		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep.Checked != 0 {
			t.Errorf("within the grace period: %+v, want nothing checked", rep)
		}
		e.clock.Add(3 * time.Minute)
		rep := reconcile(t, e, tools.ReconcileOptions{})
		if want := (tools.ReconcileReport{Checked: 1, Approved: 1}); rep != want {
			t.Errorf("report = %+v, want %+v", rep, want)
		}
		got, err := e.store.Order(bg, o.ID)
		must(t, err)
		if got.Status != sodam.OrderPaid || got.PaymentID == "" {
			t.Errorf("order = %s paid by %q, want paid", got.Status, got.PaymentID)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{}) {
			t.Errorf("second pass = %+v, want nothing to do", rep)
		}
		// The user asking again gets the paid order, charged once.
		out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		if out.Payment.Status != sodam.PaymentApproved || e.pay.Charges() != 1 {
			t.Errorf("pay again: payment %s, %d charges", out.Payment.Status, e.pay.Charges())
		}
	})

	t.Run("a lost approval of an order cancelled meanwhile is refunded", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		f := withFaults(e)
		o := e.placedOrder(t)
		lostApproval(t, e, f, tools.PayInput{OrderID: o.ID})
		_, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
		must(t, err)
		e.clock.Add(3 * time.Minute)
		rep := reconcile(t, e, tools.ReconcileOptions{})
		if want := (tools.ReconcileReport{Checked: 1, Refunded: 1}); rep != want {
			t.Errorf("report = %+v, want %+v", rep, want)
		}
		if e.pay.Refunds() != 1 || e.pay.RefundedAmount() != o.Total {
			t.Errorf("provider refunded %d times %d won, want once %d", e.pay.Refunds(), e.pay.RefundedAmount(), o.Total)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{}) {
			t.Errorf("second pass = %+v, want nothing to do", rep)
		}
	})

	t.Run("a lost approval of an expired hold is refunded and the seats stay free", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		f := withFaults(e)
		b, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 2})
		must(t, err)
		lostApproval(t, e, f, tools.PayInput{BookingID: b.Booking.ID})
		e.clock.Add(tools.DefaultHoldTTL + time.Minute)
		rep := reconcile(t, e, tools.ReconcileOptions{})
		if want := (tools.ReconcileReport{Checked: 1, Refunded: 1}); rep != want {
			t.Errorf("report = %+v, want %+v", rep, want)
		}
		got, err := e.store.Booking(bg, b.Booking.ID)
		must(t, err)
		if got.Status != sodam.BookingCancelled {
			t.Errorf("booking = %s, want cancelled", got.Status)
		}
		wantLedgerOK(t, e, tools.LedgerScope{Capacity: map[string]map[string]int{"s-001": {"VIP": 5, "R": 10}}})
	})

	t.Run("a payment that never reached the provider is failed and can be retried", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		// The process stopped between storing the attempt and Ready.
		_, _, err := e.store.CreatePayment(bg, &sodam.Payment{UserID: "u-1", OrderID: o.ID, Method: sodam.PayKakaoPay,
			Amount: o.Total, Status: sodam.PaymentReady, IdempotencyKey: "order:" + o.ID, Provider: "sandbox", CreatedAt: e.clock.Now()})
		must(t, err)
		e.clock.Add(3 * time.Minute)
		rep := reconcile(t, e, tools.ReconcileOptions{})
		if want := (tools.ReconcileReport{Checked: 1, Failed: 1}); rep != want {
			t.Errorf("report = %+v, want %+v", rep, want)
		}
		out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		if out.Order.Status != sodam.OrderPaid || e.pay.Charges() != 1 {
			t.Errorf("retry: order %s, %d charges", out.Order.Status, e.pay.Charges())
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
	})

	t.Run("an approval refused with 5xx is left to the user, then abandoned", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		e.pay.FailNext(sandboxpay.OpApprove, &sodam.Error{Code: sodam.EUNAVAILABLE, Message: "502 bad gateway"})
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		wantCode(t, err, sodam.EUNAVAILABLE)
		wantLedgerOK(t, e, tools.LedgerScope{})
		e.clock.Add(3 * time.Minute)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Pending: 1}) {
			t.Errorf("report = %+v, want one pending", rep)
		}
		e.clock.Add(30 * time.Minute)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Failed: 1}) {
			t.Errorf("report = %+v, want one failed", rep)
		}
		out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		if out.Order.Status != sodam.OrderPaid || e.pay.Charges() != 1 {
			t.Errorf("retry: order %s, %d charges", out.Order.Status, e.pay.Charges())
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
	})

	t.Run("a declined payment is confirmed failed once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		e.pay.DeclineNext()
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		wantCode(t, err, sodam.ECONFLICT)
		e.clock.Add(3 * time.Minute)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Failed: 1}) {
			t.Errorf("report = %+v, want one failed", rep)
		}
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{}) {
			t.Errorf("second pass = %+v, want nothing to do", rep)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
	})

	t.Run("a charge whose order was left unpaid finishes the order", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		// The store failed between recording the charge and the order.
		_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error {
			o.Status, o.PaymentID, o.PaidAt = sodam.OrderPlaced, "", nil
			return nil
		})
		must(t, err)
		e.clock.Add(3 * time.Minute)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Approved: 1}) {
			t.Errorf("report = %+v, want one approved", rep)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{}) {
			t.Errorf("second pass = %+v, want nothing to do", rep)
		}
	})

	t.Run("a charge whose order was cancelled meanwhile is refunded", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error {
			o.Status, o.PaymentID, o.PaidAt = sodam.OrderCancelled, "", nil
			return nil
		})
		must(t, err)
		e.clock.Add(3 * time.Minute)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Refunded: 1}) {
			t.Errorf("report = %+v, want one refunded", rep)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
	})

	t.Run("a provider that stays down is tried again next pass", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		f := withFaults(e)
		o := e.placedOrder(t)
		lostApproval(t, e, f, tools.PayInput{OrderID: o.ID})
		e.clock.Add(3 * time.Minute)
		f.lookupDown.Store(true)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Errors: 1}) {
			t.Errorf("report = %+v, want one error", rep)
		}
		f.lookupDown.Store(false)
		if rep := reconcile(t, e, tools.ReconcileOptions{}); rep != (tools.ReconcileReport{Checked: 1, Approved: 1}) {
			t.Errorf("report = %+v, want one approved", rep)
		}
		wantLedgerOK(t, e, tools.LedgerScope{})
	})
}

func TestCheckLedger(t *testing.T) {
	capacity := map[string]map[string]int{"s-001": {"VIP": 5, "R": 10}}
	tests := []struct {
		name    string
		breakIt func(t *testing.T, e *env)
		want    []string // rules broken
	}{
		{"a paid order and a paid booking hold", func(t *testing.T, e *env) {
			o := e.placedOrder(t)
			_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			b, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "VIP", TicketCount: 2})
			must(t, err)
			_, err = e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: b.Booking.ID})
			must(t, err)
		}, nil},
		{"an order marked paid without a payment", func(t *testing.T, e *env) {
			o := e.placedOrder(t)
			_, err := e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Status = sodam.OrderPaid; return nil })
			must(t, err)
		}, []string{tools.RulePaidOnce}},
		{"a payment of another amount", func(t *testing.T, e *env) {
			o := e.placedOrder(t)
			_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Total += 1000; return nil })
			must(t, err)
		}, []string{tools.RulePaidOnce}},
		{"a charge for a cancelled order", func(t *testing.T, e *env) {
			o := e.placedOrder(t)
			_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Status = sodam.OrderCancelled; return nil })
			must(t, err)
		}, []string{tools.RuleChargeHasRecord}},
		{"a payment without an order", func(t *testing.T, e *env) {
			_, _, err := e.store.CreatePayment(bg, &sodam.Payment{UserID: "u-1", OrderID: "o-nowhere", Method: sodam.PayKakaoPay,
				Amount: 1000, Status: sodam.PaymentFailed, IdempotencyKey: "order:o-nowhere", CreatedAt: refTime})
			must(t, err)
		}, []string{tools.RuleChargeHasRecord}},
		{"a seat sold twice", func(t *testing.T, e *env) {
			_, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 2})
			must(t, err)
			s, err := e.store.Session(bg, "s-001")
			must(t, err)
			seat := s.Seats["R"]
			seat.Available = 12 // republished as 12: 2 held + 10 left, with 10 seats in the hall
			s.Seats["R"] = seat
			must(t, e.store.UpsertSession(bg, s))
		}, []string{tools.RuleSeatsOnce}},
		{"a refund the provider never made", func(t *testing.T, e *env) {
			o := e.placedOrder(t)
			out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			_, err = e.store.UpdatePayment(bg, out.Payment.ID, func(p *sodam.Payment) error { p.Status = sodam.PaymentCancelled; return nil })
			must(t, err)
			_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Status = sodam.OrderCancelled; return nil })
			must(t, err)
		}, []string{tools.RuleProviderAgrees}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.breakIt(t, e)
			probs := ledger(t, e, tools.LedgerScope{Capacity: capacity})
			var got []string
			for _, p := range probs {
				got = append(got, p.Rule)
				if p.Detail == "" || p.String() == "" {
					t.Errorf("problem without detail: %+v", p)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems = %v, want rules %v", probs, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("problem %d = %s, want rule %s", i, probs[i], tc.want[i])
				}
			}
		})
	}
}
