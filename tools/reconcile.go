package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// This file holds the payment reconciliation job and the ledger check.
//
// A payment can be left unsettled when the provider times out or fails
// (5xx) between Ready and the end of Approve, when the caller hangs up, or
// when the process stops mid-payment: the payment stays ready (or failed)
// while the provider may have charged. Reconcile asks the provider about
// each such payment once it is older than a grace period and records
// what the provider says, so that no charge is left without a paid or
// refunded record and no record is paid without a charge. CheckLedger
// states those rules and reports every break of them.

// ReconcileOptions tune Reconcile.
type ReconcileOptions struct {
	// Grace is the age (by the toolbox's clock) a payment must reach
	// before it is looked at, so that attempts in flight are left to
	// their callers. It should exceed the provider's timeout; 2 minutes
	// when 0.
	Grace time.Duration
	// Horizon bounds how far back approved payments are checked for a
	// record left unpaid (the process or the store failed between the
	// charge and the record): those approved within it. 24 hours when 0.
	Horizon time.Duration
	// Abandon is the age after which a payment still waiting for the
	// user's approval at the provider (status READY there) is marked
	// failed: KakaoPay's payment pages expire after 15 minutes. 20
	// minutes when 0.
	Abandon time.Duration
}

// ReconcileReport counts what one Reconcile pass did.
type ReconcileReport struct {
	Checked   int `json:"checked"`   // payments looked at
	Approved  int `json:"approved"`  // charged at the provider: marked approved and their record paid
	Refunded  int `json:"refunded"`  // charged for a record no longer payable: refunded
	Failed    int `json:"failed"`    // not charged: marked failed, for a later Pay to retry
	Cancelled int `json:"cancelled"` // refunded at the provider already: marked cancelled
	Pending   int `json:"pending"`   // still waiting for the user at the provider
	Errors    int `json:"errors"`    // the provider or the store did not answer: tried again next pass
}

// Changed reports whether the pass changed anything.
func (r *ReconcileReport) Changed() bool {
	return r.Approved+r.Refunded+r.Failed+r.Cancelled > 0
}

// settledPrefix starts the FailureReason of a payment whose failure the
// provider confirmed: Reconcile does not ask about it again.
const settledPrefix = "provider status "

// Reconcile settles payments left ready or failed by an unknown outcome,
// and approved payments whose record was left unpaid.
// Each payment in status ready or failed, older than opts.Grace, is looked
// up at the provider by its TID:
//
//   - charged (SUCCESS_PAYMENT): the payment is marked approved and its
//     order or booking paid; when the record was cancelled or its hold
//     expired in between, the charge is refunded and the payment cancelled;
//   - refused or abandoned there (FAIL_PAYMENT, QUIT_PAYMENT): marked
//     failed, so a later Pay may retry;
//   - refunded there (CANCEL_PAYMENT): marked cancelled;
//   - still waiting for the user's approval (READY): left alone until
//     opts.Abandon, or abandoned at once when its record was cancelled.
//
// An approved payment (within opts.Horizon) whose order or booking does
// not name it as paid has its record marked paid, or its charge refunded
// when the record was cancelled meanwhile.
//
// A ready payment without a TID never reached Approve, so nothing was
// charged: it is marked failed. A failed payment without a TID, or whose
// failure the provider already confirmed, is not looked at again.
//
// Reconcile is safe to run while the service runs and from several
// processes: every change is made under the payment's lock and only if
// the payment is still as it was seen. It returns what it did; a payment
// the provider or the store could not settle counts in Errors and is
// tried again on the next call. The error is non-nil only when the
// payments could not be listed.
func (t *Toolbox) Reconcile(ctx context.Context, opts ReconcileOptions) (*ReconcileReport, error) {
	const op = "tools.Reconcile"
	if opts.Grace <= 0 {
		opts.Grace = 2 * time.Minute
	}
	if opts.Abandon <= 0 {
		opts.Abandon = 20 * time.Minute
	}
	if opts.Horizon <= 0 {
		opts.Horizon = 24 * time.Hour
	}
	var todo []*sodam.Payment
	for _, st := range []sodam.PaymentStatus{sodam.PaymentReady, sodam.PaymentFailed, sodam.PaymentCancelled, sodam.PaymentApproved} {
		ps, err := t.store.Payments(ctx, st)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		todo = append(todo, ps...)
	}
	rep := &ReconcileReport{}
	now := t.now()
	for _, p := range todo {
		if ctx.Err() != nil {
			break
		}
		if now.Sub(p.CreatedAt) < opts.Grace {
			continue
		}
		if p.Status == sodam.PaymentApproved {
			if p.ApprovedAt != nil && now.Sub(*p.ApprovedAt) <= opts.Horizon {
				if err := t.reconcileApproved(ctx, op, p, rep); err != nil {
					rep.Errors++
					t.log.Warn("reconcile payment", "payment", p.ID, "err", err)
				}
			}
			continue
		}
		if !unsettled(p) {
			continue
		}
		rep.Checked++
		if err := t.reconcileOne(ctx, op, p, now, opts, rep); err != nil {
			rep.Errors++
			t.log.Warn("reconcile payment", "payment", p.ID, "err", err)
		}
	}
	return rep, nil
}

// unsettled reports whether p may hide a charge the store does not know
// of: a ready payment; a failed one that had reached the provider; or
// one abandoned (cancelled before it was approved) after reaching the
// provider, whose approval may have gone through. Payments whose outcome
// the provider confirmed are settled.
func unsettled(p *sodam.Payment) bool {
	switch {
	case p.Status == sodam.PaymentReady:
		return true
	case p.TID == "" || strings.HasPrefix(p.FailureReason, settledPrefix):
		return false
	case p.Status == sodam.PaymentFailed:
		return true
	case p.Status == sodam.PaymentCancelled:
		return p.ApprovedAt == nil
	}
	return false
}

// reconcileOne settles one payment as seen in p.
func (t *Toolbox) reconcileOne(ctx context.Context, op string, seen *sodam.Payment, now time.Time, opts ReconcileOptions, rep *ReconcileReport) error {
	defer t.payLocks.lock(seen.ID)()
	p, err := t.store.Payment(ctx, seen.ID)
	if err != nil {
		return err
	}
	if p.Status != seen.Status || p.TID != seen.TID || !p.CreatedAt.Equal(seen.CreatedAt) {
		return nil // changed meanwhile: its caller settled it
	}
	if p.TID == "" {
		// Ready never answered (or its answer was not recorded): Approve
		// needs the TID, so nothing was charged.
		if t.markIf(ctx, p, sodam.PaymentFailed, "never reached approval") {
			rep.Failed++
		}
		return nil
	}
	got, err := t.pay.Lookup(ctx, p.TID)
	if sodam.IsCode(err, sodam.ENOTFOUND) {
		if t.markIf(ctx, p, sodam.PaymentFailed, settledPrefix+"unknown") {
			rep.Failed++
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("lookup %s: %w", p.TID, err)
	}
	if p.Status == sodam.PaymentCancelled {
		return t.reconcileAbandoned(ctx, p, got, rep)
	}
	switch got.Status {
	case providerSuccess:
		target, err := t.reconcileTarget(ctx, op, p)
		if err != nil {
			return err
		}
		_, err = t.approved(ctx, op, target, p, got.TID, got.Amount, time.Time{})
		switch {
		case err == nil:
			rep.Approved++
		case sodam.IsCode(err, sodam.ECONFLICT):
			// approved refunded it: the record no longer takes payment.
			rep.Refunded++
		default:
			return err
		}
	case providerFail, providerQuit:
		if t.markIf(ctx, p, sodam.PaymentFailed, settledPrefix+got.Status) {
			rep.Failed++
		}
	case providerCancel:
		if t.markIf(ctx, p, sodam.PaymentCancelled, settledPrefix+got.Status) {
			rep.Cancelled++
		}
	default:
		// Waiting for the user at the provider's page.
		if p.Status == sodam.PaymentFailed {
			// Failed here (a refused approval): the provider's page can
			// no longer complete it, and a retry starts a new attempt.
			t.markIf(ctx, p, sodam.PaymentFailed, settledPrefix+got.Status)
			return nil
		}
		payable, err := t.recordPayable(ctx, p)
		if err != nil {
			return err
		}
		switch {
		case !payable:
			if t.markIf(ctx, p, sodam.PaymentCancelled, settledPrefix+got.Status+", record no longer payable") {
				t.redirects.Delete(p.ID)
				rep.Cancelled++
			}
		case now.Sub(p.CreatedAt) >= opts.Abandon:
			if t.markIf(ctx, p, sodam.PaymentFailed, "not approved in time") {
				t.redirects.Delete(p.ID)
				rep.Failed++
			}
		default:
			rep.Pending++
		}
	}
	return nil
}

// reconcileApproved finishes the record of an approved payment that
// does not name it as paid: the record is marked paid, or, when it no
// longer takes payment, the charge is refunded.
func (t *Toolbox) reconcileApproved(ctx context.Context, op string, seen *sodam.Payment, rep *ReconcileReport) error {
	if t.checkPaidBy(ctx, op, seen) == nil {
		return nil
	}
	defer t.payLocks.lock(seen.ID)()
	p, err := t.store.Payment(ctx, seen.ID)
	if err != nil {
		return err
	}
	if p.Status != sodam.PaymentApproved || t.checkPaidBy(ctx, op, p) == nil {
		return nil
	}
	rep.Checked++
	target, err := t.reconcileTarget(ctx, op, p)
	if err != nil {
		return err
	}
	_, err = t.approved(ctx, op, target, p, p.TID, p.Amount, *p.ApprovedAt)
	switch {
	case err == nil:
		rep.Approved++
	case sodam.IsCode(err, sodam.ECONFLICT):
		rep.Refunded++
	default:
		return err
	}
	return nil
}

// reconcileAbandoned settles a payment cancelled before it was approved
// (its order was cancelled while the approval's outcome was unknown): a
// charge the provider made anyway is refunded.
func (t *Toolbox) reconcileAbandoned(ctx context.Context, p *sodam.Payment, got *sodam.ProviderPayment, rep *ReconcileReport) error {
	status := got.Status
	if status == providerSuccess {
		c, err := t.pay.Cancel(context.WithoutCancel(ctx), sodam.PaymentCancelRequest{TID: p.TID, CancelAmount: got.Amount - got.CancelledAmount})
		if err != nil {
			return fmt.Errorf("refund abandoned %s: %w", p.TID, err)
		}
		status = c.Status
		rep.Refunded++
	}
	_, err := t.store.UpdatePayment(context.WithoutCancel(ctx), p.ID, func(q *sodam.Payment) error {
		q.FailureReason = settledPrefix + status
		return nil
	})
	return err
}

// markIf moves p to status with reason if it is still as seen, and
// reports whether it did.
func (t *Toolbox) markIf(ctx context.Context, seen *sodam.Payment, status sodam.PaymentStatus, reason string) bool {
	now := t.now()
	_, err := t.store.UpdatePayment(context.WithoutCancel(ctx), seen.ID, func(p *sodam.Payment) error {
		if p.Status != seen.Status || p.TID != seen.TID || !p.CreatedAt.Equal(seen.CreatedAt) {
			return errLostRace
		}
		p.Status = status
		p.FailureReason = reason
		if status == sodam.PaymentCancelled {
			p.CancelledAt = &now
		}
		return nil
	})
	if err != nil && !errors.Is(err, errLostRace) {
		t.log.Error("reconcile: update payment", "payment", seen.ID, "err", err)
	}
	return err == nil
}

// reconcileTarget is the payment target of p's record as the record is
// now: its finish marks a placed order or a held booking paid, and is
// ECONFLICT for a record that no longer takes payment, so that approved
// refunds the charge.
func (t *Toolbox) reconcileTarget(ctx context.Context, op string, p *sodam.Payment) (*payTarget, error) {
	var (
		target *payTarget
		err    error
	)
	if p.BookingID != "" {
		target, _, err = t.bookingTarget(ctx, op, p.UserID, p.BookingID)
	} else {
		target, _, err = t.orderTarget(ctx, op, p.UserID, p.OrderID)
	}
	switch {
	case target != nil:
		return target, nil
	case err == nil || sodam.IsCode(err, sodam.ECONFLICT):
		// Paid already (by this payment: the key is unique per record) or
		// no longer payable: finish tells approved which.
		done, derr := t.doneTarget(ctx, op, p)
		if derr != nil {
			return nil, derr
		}
		conflict := err
		done.finish = func(ctx context.Context, p *sodam.Payment) error {
			if conflict != nil {
				return conflict
			}
			return t.checkPaidBy(ctx, op, p)
		}
		return done, nil
	default:
		return nil, err
	}
}

// checkPaidBy is ECONFLICT unless p's record is paid by p.
func (t *Toolbox) checkPaidBy(ctx context.Context, op string, p *sodam.Payment) error {
	if p.BookingID != "" {
		b, err := t.store.Booking(ctx, p.BookingID)
		if err != nil {
			return sodam.WrapError(op, err)
		}
		if b.Status != sodam.BookingPaid || b.PaymentID != p.ID {
			return fail(sodam.ECONFLICT, op, "예매가 더 이상 결제할 수 있는 상태가 아니에요.")
		}
		return nil
	}
	o, err := t.store.Order(ctx, p.OrderID)
	if err != nil {
		return sodam.WrapError(op, err)
	}
	if !orderPaid(o.Status) || o.PaymentID != p.ID {
		return fail(sodam.ECONFLICT, op, "주문이 더 이상 결제할 수 있는 상태가 아니에요.")
	}
	return nil
}

// recordPayable reports whether p's order is placed or its booking held
// and not expired.
func (t *Toolbox) recordPayable(ctx context.Context, p *sodam.Payment) (bool, error) {
	if p.BookingID != "" {
		b, err := t.store.Booking(ctx, p.BookingID)
		if err != nil {
			return false, err
		}
		return b.Status == sodam.BookingHeld && b.HeldUntil.After(t.now()), nil
	}
	o, err := t.store.Order(ctx, p.OrderID)
	if err != nil {
		return false, err
	}
	return o.Status == sodam.OrderPlaced, nil
}

// orderPaid reports whether an order in status s has been paid for: paid,
// in the merchant's hands, or delivered.
func orderPaid(s sodam.OrderStatus) bool {
	return s.InProgress() || s == sodam.OrderDelivered
}

// Problem is one break of the ledger's rules found by CheckLedger.
type Problem struct {
	// Rule names the rule broken; see the Rule constants.
	Rule      string `json:"rule"`
	OrderID   string `json:"order_id,omitempty"`
	BookingID string `json:"booking_id,omitempty"`
	PaymentID string `json:"payment_id,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	Detail    string `json:"detail"`
}

func (p Problem) String() string {
	var ids []string
	for _, kv := range [][2]string{{"order", p.OrderID}, {"booking", p.BookingID}, {"payment", p.PaymentID}, {"session", p.SessionID}} {
		if kv[1] != "" {
			ids = append(ids, kv[0]+" "+kv[1])
		}
	}
	return fmt.Sprintf("%s (%s): %s", p.Rule, strings.Join(ids, ", "), p.Detail)
}

// The rules of the ledger.
const (
	// RulePaidOnce: a paid order or booking has exactly one approved
	// payment, of its total, and names it.
	RulePaidOnce = "paid_record_has_one_payment"
	// RuleChargeHasRecord: a payment belongs to an existing order or
	// booking of its user, and an approved one to a record it paid.
	RuleChargeHasRecord = "payment_has_paid_record"
	// RuleSeatsOnce: no seat is sold twice: held and paid seats plus the
	// seats left make the session's capacity, and none is below zero.
	RuleSeatsOnce = "seat_sold_once"
	// RuleProviderAgrees: the provider charged exactly the approved
	// payments (when CheckLedger is given the provider).
	RuleProviderAgrees = "provider_agrees"
)

// LedgerScope tells CheckLedger what to look at: the store has no list
// of all orders or bookings, so the users whose records are checked are
// named.
type LedgerScope struct {
	// Users are the users whose orders, bookings and payments are
	// checked. None means every payment in the store and the records of
	// their users.
	Users []string
	// Capacity gives, for the sessions to check for seats sold twice,
	// their seats at the start by grade. Every booking of such a session
	// must belong to a user checked (listed or paying).
	Capacity map[string]map[string]int
	// Provider, when set, is asked about every payment with a TID: an
	// approved payment must be charged there in full and not refunded, a
	// cancelled one refunded, and any other not charged.
	Provider sodam.PaymentProvider
}

// CheckLedger checks the money and seat rules over the store and returns
// every break it finds, in a stable order; none means the ledger holds.
// It reads records one after another, not in one snapshot: run it when no
// payment is in flight.
// The rules: every paid order or booking has exactly one approved payment
// of its total (RulePaidOnce); every payment belongs to an order or
// booking of its user, and an approved one to a record it paid
// (RuleChargeHasRecord); no seat is sold twice (RuleSeatsOnce); and, with
// a provider, the provider's books agree (RuleProviderAgrees). The error
// is non-nil only when the store or the provider cannot be read.
func CheckLedger(ctx context.Context, st sodam.Store, scope LedgerScope) ([]Problem, error) {
	const op = "tools.CheckLedger"
	var probs []Problem
	add := func(p Problem) { probs = append(probs, p) }

	payments, err := st.Payments(ctx, "")
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	users := map[string]bool{}
	for _, u := range scope.Users {
		users[u] = true
	}
	if len(users) > 0 {
		payments = slices.DeleteFunc(payments, func(p *sodam.Payment) bool { return !users[p.UserID] })
	}
	// Approved payments by the record they are for.
	approvedFor := map[string][]*sodam.Payment{}
	for _, p := range payments {
		users[p.UserID] = true
		if p.Status == sodam.PaymentApproved {
			approvedFor[recordKey(p.OrderID, p.BookingID)] = append(approvedFor[recordKey(p.OrderID, p.BookingID)], p)
		}
	}

	// Every paid record: one approved payment of its total, named by it.
	orders := map[string]*sodam.Order{}
	bookings := map[string]*sodam.Booking{}
	for _, u := range sortedKeys(users) {
		list, err := st.OrdersByUser(ctx, u)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		for _, o := range list {
			orders[o.ID] = o
			if orderPaid(o.Status) {
				checkPaid(add, approvedFor[recordKey(o.ID, "")], o.PaymentID, o.Total, Problem{OrderID: o.ID})
			}
		}
		bs, err := st.BookingsByUser(ctx, u)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		for _, b := range bs {
			bookings[b.ID] = b
			if b.Status == sodam.BookingPaid {
				checkPaid(add, approvedFor[recordKey("", b.ID)], b.PaymentID, b.Total, Problem{BookingID: b.ID})
			}
		}
	}

	// Every payment: a record of its user; an approved one, a paid record.
	for _, p := range payments {
		pr := Problem{Rule: RuleChargeHasRecord, OrderID: p.OrderID, BookingID: p.BookingID, PaymentID: p.ID}
		switch {
		case (p.OrderID == "") == (p.BookingID == ""):
			pr.Detail = "a payment must be for exactly one order or booking"
			add(pr)
			continue
		case p.OrderID != "":
			o := orders[p.OrderID]
			switch {
			case o == nil || o.UserID != p.UserID:
				pr.Detail = "no order of the payment's user"
				add(pr)
			case p.Status == sodam.PaymentApproved && (!orderPaid(o.Status) || o.PaymentID != p.ID):
				pr.Detail = fmt.Sprintf("approved payment of %d, but the order is %s with payment %q", p.Amount, o.Status, o.PaymentID)
				add(pr)
			}
		default:
			b := bookings[p.BookingID]
			switch {
			case b == nil || b.UserID != p.UserID:
				pr.Detail = "no booking of the payment's user"
				add(pr)
			case p.Status == sodam.PaymentApproved && (b.Status != sodam.BookingPaid || b.PaymentID != p.ID):
				pr.Detail = fmt.Sprintf("approved payment of %d, but the booking is %s with payment %q", p.Amount, b.Status, b.PaymentID)
				add(pr)
			}
		}
	}

	// Seats: held and paid plus available is the capacity.
	for _, sid := range sortedKeys(scope.Capacity) {
		s, err := st.Session(ctx, sid)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		taken := map[string]int{}
		for _, b := range bookings {
			if b.SessionID == sid && (b.Status == sodam.BookingHeld || b.Status == sodam.BookingPaid) {
				taken[b.SeatGrade] += b.TicketCount
			}
		}
		caps := scope.Capacity[sid]
		for _, g := range sortedKeys(caps) {
			left := s.Seats[g].Available
			if left < 0 || taken[g]+left != caps[g] {
				add(Problem{Rule: RuleSeatsOnce, SessionID: sid,
					Detail: fmt.Sprintf("grade %s: %d held or sold + %d left, capacity %d", g, taken[g], left, caps[g])})
			}
		}
	}

	if scope.Provider != nil {
		for _, p := range payments {
			if p.TID == "" {
				continue
			}
			got, err := scope.Provider.Lookup(ctx, p.TID)
			if sodam.IsCode(err, sodam.ENOTFOUND) {
				got, err = &sodam.ProviderPayment{TID: p.TID}, nil
			}
			if err != nil {
				return nil, sodam.WrapError(op, err)
			}
			charged := got.Status == providerSuccess || got.Status == "PART_CANCEL_PAYMENT" || got.Status == providerCancel
			kept := got.Amount - got.CancelledAmount
			if !charged {
				kept = 0
			}
			var want int64
			if p.Status == sodam.PaymentApproved {
				want = p.Amount
			}
			if kept != want {
				add(Problem{Rule: RuleProviderAgrees, OrderID: p.OrderID, BookingID: p.BookingID, PaymentID: p.ID,
					Detail: fmt.Sprintf("payment %s of %d, provider %s keeps %d", p.Status, p.Amount, got.Status, kept)})
			}
		}
	}

	sort.SliceStable(probs, func(i, j int) bool { return probs[i].String() < probs[j].String() })
	return probs, nil
}

// checkPaid adds a RulePaidOnce problem unless approved holds exactly one
// payment, the one the record names, of its total.
func checkPaid(add func(Problem), approved []*sodam.Payment, named string, total int64, pr Problem) {
	pr.Rule = RulePaidOnce
	pr.PaymentID = named
	switch {
	case len(approved) != 1:
		pr.Detail = fmt.Sprintf("paid with %d approved payments", len(approved))
	case approved[0].ID != named:
		pr.Detail = fmt.Sprintf("names payment %q, approved is %s", named, approved[0].ID)
	case approved[0].Amount != total:
		pr.Detail = fmt.Sprintf("total %d, approved amount %d", total, approved[0].Amount)
	default:
		return
	}
	add(pr)
}

func recordKey(orderID, bookingID string) string {
	if bookingID != "" {
		return "booking:" + bookingID
	}
	return "order:" + orderID
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
