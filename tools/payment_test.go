package tools_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/tools"
)

func TestPayOrder(t *testing.T) {
	e := newEnv(t)
	o := e.placedOrder(t)
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	p := out.Payment
	if p.Status != sodam.PaymentApproved || p.Amount != 35400 || p.Method != sodam.PayKakaoPay || p.TID == "" || p.ApprovedAt == nil {
		t.Errorf("payment = %+v", p)
	}
	if p.IdempotencyKey != "order:"+o.ID || p.OrderID != o.ID || p.Provider != "sandbox" {
		t.Errorf("payment key %q order %q provider %q", p.IdempotencyKey, p.OrderID, p.Provider)
	}
	if out.Order.Status != sodam.OrderPaid || out.Order.PaymentID != p.ID || out.Order.PaidAt == nil {
		t.Errorf("order = %+v", out.Order)
	}
	if e.pay.Charges() != 1 || e.pay.ChargedAmount() != 35400 {
		t.Errorf("provider charged %d times %d won, want once 35,400", e.pay.Charges(), e.pay.ChargedAmount())
	}
}

func TestPayRefusals(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.Pay(bg, "u-1", tools.PayInput{})
	wantCode(t, err, sodam.ENOTFOUND)

	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"})
	must(t, err)
	c, err := e.tb.GetCart(bg, "u-1", tools.GetCartInput{})
	must(t, err)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: c.Cart.ID})
	wantCode(t, err, sodam.ECONFLICT) // a draft is not paid before the user confirms

	o := e.placedOrder(t)
	_, err = e.tb.Pay(bg, "u-2", tools.PayInput{OrderID: o.ID})
	wantCode(t, err, sodam.ENOTFOUND)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID, BookingID: "b-1"})
	wantCode(t, err, sodam.EINVALID)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID, Method: "cash"})
	wantCode(t, err, sodam.EINVALID)
	if e.pay.Charges() != 0 {
		t.Errorf("refused payments charged %d times", e.pay.Charges())
	}
	ps, err := e.store.PaymentsByUser(bg, "u-1")
	must(t, err)
	if len(ps) != 0 {
		t.Errorf("refused payments left %d payments", len(ps))
	}
}

func TestPayTwiceChargesOnce(t *testing.T) { forEachStore(t, testPayTwiceChargesOnce) }

func testPayTwiceChargesOnce(t *testing.T, newEnv newEnvFunc) {
	t.Run("sequentially", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		first, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		for range 3 {
			again, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID, Method: "card"})
			must(t, err)
			if again.Payment.ID != first.Payment.ID || again.Payment.Status != sodam.PaymentApproved {
				t.Errorf("repeated pay = %+v, want payment %s", again.Payment, first.Payment.ID)
			}
		}
		e.checkOnePayment(t)
	})
	t.Run("concurrently", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		const n = 20
		var wg sync.WaitGroup
		outs := make([]*tools.PayOutput, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				outs[i], errs[i] = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			})
		}
		close(start)
		wg.Wait()
		id := ""
		for i := range n {
			if errs[i] != nil {
				// A caller that gave up waiting is told so, politely.
				wantCode(t, errs[i], sodam.ECONFLICT)
				continue
			}
			if id == "" {
				id = outs[i].Payment.ID
			}
			if outs[i].Payment.ID != id || outs[i].Order.Status != sodam.OrderPaid {
				t.Errorf("caller %d got payment %s order %s", i, outs[i].Payment.ID, outs[i].Order.Status)
			}
		}
		if id == "" {
			t.Fatal("no caller paid")
		}
		e.checkOnePayment(t)
	})
}

// checkOnePayment checks that u-1 has exactly one approved payment and the
// provider charged once.
func (e *env) checkOnePayment(t *testing.T) {
	t.Helper()
	ps, err := e.store.PaymentsByUser(bg, "u-1")
	must(t, err)
	if len(ps) != 1 || ps[0].Status != sodam.PaymentApproved {
		t.Errorf("payments = %+v, want one approved", ps)
	}
	if e.pay.Charges() != 1 {
		t.Errorf("provider charged %d times, want 1", e.pay.Charges())
	}
}

func TestPayProviderFailure(t *testing.T) { forEachStore(t, testPayProviderFailure) }

func testPayProviderFailure(t *testing.T, newEnv newEnvFunc) {
	tests := []struct {
		name   string
		inject func(p *sandboxpay.Provider)
	}{
		{"ready fails", func(p *sandboxpay.Provider) {
			p.FailNext(sandboxpay.OpReady, &sodam.Error{Code: sodam.EUNAVAILABLE, Message: "결제사 점검 중이에요."})
		}},
		{"card declined", func(p *sandboxpay.Provider) { p.DeclineNext() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			o := e.placedOrder(t)
			tc.inject(e.pay)
			_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			if err == nil {
				t.Fatal("pay succeeded despite the provider failing")
			}
			ps, err := e.store.PaymentsByUser(bg, "u-1")
			must(t, err)
			if len(ps) != 1 || ps[0].Status != sodam.PaymentFailed || ps[0].FailureReason == "" {
				t.Fatalf("payments after failure = %+v, want one failed", ps)
			}
			got, err := e.store.Order(bg, o.ID)
			must(t, err)
			if got.Status != sodam.OrderPlaced {
				t.Errorf("order status after failure = %s, want placed", got.Status)
			}

			// A retry turns the failed payment into a new attempt.
			out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			if out.Payment.ID != ps[0].ID || out.Payment.Status != sodam.PaymentApproved || out.Order.Status != sodam.OrderPaid {
				t.Errorf("retry = %+v / %s", out.Payment, out.Order.Status)
			}
			e.checkOnePayment(t)
		})
	}
}

func TestPayUnknownOutcomeSettledByLookup(t *testing.T) {
	forEachStore(t, testPayUnknownOutcomeSettledByLookup)
}

func testPayUnknownOutcomeSettledByLookup(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	o := e.placedOrder(t)
	// The approval happens at the provider but its answer is lost.
	e.pay.SetDelay(sandboxpay.OpApprove, time.Hour)
	ctx, cancel := context.WithCancel(bg)
	go func() {
		// Let Pay reach the provider, then hang up.
		for e.pay.Charges() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	out, err := e.tb.Pay(ctx, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	if out.Payment.Status != sodam.PaymentApproved || out.Order.Status != sodam.OrderPaid {
		t.Errorf("after a lost answer: payment %s order %s, want approved and paid", out.Payment.Status, out.Order.Status)
	}
	e.checkOnePayment(t)
}

func TestPayRedirectFlow(t *testing.T) { forEachStore(t, testPayRedirectFlow) }

func testPayRedirectFlow(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t, tools.WithCallbackURLs(func(id string) (string, string, string) {
		return "http://sodam.test/pay/approve?payment_id=" + id, "http://sodam.test/pay/cancel", "http://sodam.test/pay/fail"
	}))
	e.pay.AutoApprove = false
	o := e.placedOrder(t)
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	if out.Payment.Status != sodam.PaymentReady || out.RedirectURL == "" || out.Order.Status != sodam.OrderPlaced {
		t.Fatalf("pay = %+v redirect %q order %s, want ready with a page", out.Payment, out.RedirectURL, out.Order.Status)
	}
	again, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	if again.RedirectURL != out.RedirectURL || again.Payment.ID != out.Payment.ID {
		t.Errorf("repeated pay = %+v %q, want the same page", again.Payment, again.RedirectURL)
	}

	// The user approves on the provider's page, which sends them to the
	// approval URL with a pg_token.
	u, err := url.Parse(out.RedirectURL)
	must(t, err)
	rec := httptest.NewRecorder()
	e.pay.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, u.Path, nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approval page answered %d", rec.Code)
	}
	back, err := url.Parse(rec.Header().Get("Location"))
	must(t, err)
	id, token := back.Query().Get("payment_id"), back.Query().Get("pg_token")

	_, err = e.tb.CompletePayment(bg, id, "wrong-token")
	if err == nil {
		t.Fatal("a wrong token was accepted")
	}
	for range 2 {
		done, err := e.tb.CompletePayment(bg, id, token)
		must(t, err)
		if done.Payment.Status != sodam.PaymentApproved || done.Order.Status != sodam.OrderPaid {
			t.Errorf("completed = %+v / %s", done.Payment, done.Order.Status)
		}
	}
	e.checkOnePayment(t)
}

func TestPayAfterCancelRefunds(t *testing.T) {
	// The user cancels while the provider's page is open, then approves:
	// the charge is given back at once.
	e := newEnv(t, tools.WithCallbackURLs(func(id string) (string, string, string) {
		return "http://sodam.test/pay/approve?payment_id=" + id, "", ""
	}))
	e.pay.AutoApprove = false
	o := e.placedOrder(t)
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	u, _ := url.Parse(out.RedirectURL)
	rec := httptest.NewRecorder()
	e.pay.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, u.Path, nil))
	back, _ := url.Parse(rec.Header().Get("Location"))

	_, err = e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
	must(t, err)
	p, err := e.store.Payment(bg, out.Payment.ID)
	must(t, err)
	if p.Status != sodam.PaymentCancelled {
		t.Errorf("payment waiting for approval after cancel = %s, want cancelled", p.Status)
	}
	_, err = e.tb.CompletePayment(bg, out.Payment.ID, back.Query().Get("pg_token"))
	wantCode(t, err, sodam.ECONFLICT)
	if e.pay.Charges() != e.pay.Refunds() {
		t.Errorf("charges %d refunds %d: money kept for a cancelled order", e.pay.Charges(), e.pay.Refunds())
	}
}

func TestPayErrorsAreSafe(t *testing.T) {
	e := newEnv(t)
	o := e.placedOrder(t)
	e.pay.FailNext(sandboxpay.OpReady, errors.New("dial tcp: connection refused"))
	_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	wantCode(t, err, sodam.EUNAVAILABLE)
	wantMessage(t, err, "결제를 준비하지 못했어요. 잠시 뒤에 다시 시도해 주세요.")
}

func TestPayInProgress(t *testing.T) {
	// The first payer is held inside the provider's Ready; a second payer
	// that does not wait is told the payment is in progress, and nothing
	// is charged twice.
	e := newEnv(t, tools.WithPayWait(0))
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.pay.Fault = func(op string) error {
		if op == sandboxpay.OpReady {
			once.Do(func() {
				close(entered)
				<-release
			})
		}
		return nil
	}
	o := e.placedOrder(t)
	done := make(chan error)
	go func() {
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		done <- err
	}()
	<-entered
	_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	wantCode(t, err, sodam.ECONFLICT)
	wantMessage(t, err, "결제가 진행 중이에요. 잠시 뒤에 확인해 주세요.")
	close(release)
	must(t, <-done)
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
	must(t, err)
	if out.Order.Status != sodam.OrderPaid {
		t.Errorf("order = %s, want paid", out.Order.Status)
	}
	e.checkOnePayment(t)
}

func TestPayBookingRedirectFlow(t *testing.T) {
	e := newEnv(t, tools.WithCallbackURLs(func(id string) (string, string, string) {
		return "http://sodam.test/pay/approve?payment_id=" + id, "", ""
	}), tools.WithHoldTTL(time.Minute))
	e.pay.AutoApprove = false
	bk, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 2})
	must(t, err)
	if !bk.Booking.HeldUntil.Equal(refTime.Add(time.Minute)) {
		t.Errorf("held until %v, want a minute from now", bk.Booking.HeldUntil)
	}
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: bk.Booking.ID, Method: "card"})
	must(t, err)
	if out.Payment.Status != sodam.PaymentReady || out.Payment.Method != sodam.PayCard || out.Booking.Status != sodam.BookingHeld {
		t.Fatalf("pay = %+v / %s", out.Payment, out.Booking.Status)
	}
	u, _ := url.Parse(out.RedirectURL)
	rec := httptest.NewRecorder()
	e.pay.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, u.Path, nil))
	back, _ := url.Parse(rec.Header().Get("Location"))
	done, err := e.tb.CompletePayment(bg, out.Payment.ID, back.Query().Get("pg_token"))
	must(t, err)
	if done.Booking.Status != sodam.BookingPaid || done.Payment.Amount != 100000 || done.Payment.Status != sodam.PaymentApproved {
		t.Errorf("completed = %+v / %+v", done.Payment, done.Booking)
	}
	e.checkOnePayment(t)
}
