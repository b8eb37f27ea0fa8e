package merchant

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
)

// Settlement of one channel for one day (Asia/Seoul, midnight to
// midnight), computed from the payments ledger alone:
//
//   - a sale is a payment approved that day (its ApprovedAt), whatever
//     became of it later;
//   - a refund is an approved payment cancelled that day (its
//     CancelledAt): a cancellation by the user, or a rejection;
//   - the commission of a payment is floor(amount × rate / 10,000) won,
//     per payment, with the rate in basis points (1,000 = 10%); a refund
//     gives its payment's commission back, so a sale refunded the same day
//     costs the store nothing;
//   - gross = Σ sales, refunds = Σ refunds, net = gross − refunds,
//     commission = Σ sale commissions − Σ refund commissions,
//     payout = net − commission.
//
// All figures are integer won. The rate is the account's at the time of
// settling (the platform default for channels without an account or a
// rate of their own). Payments of orders belong to the order's merchant;
// of bookings, to the event's channel (the event id when it has none).

// SettlementLine is one payment behind a figure.
type SettlementLine struct {
	PaymentID  string    `json:"payment_id"`
	OrderID    string    `json:"order_id,omitempty"`
	BookingID  string    `json:"booking_id,omitempty"`
	Amount     int64     `json:"amount"`
	Commission int64     `json:"commission"`
	At         time.Time `json:"at"`
}

// Settlement is one channel's day.
type Settlement struct {
	ChannelID    string           `json:"channel_id"`
	Name         string           `json:"name"`
	Date         string           `json:"date"` // YYYY-MM-DD
	CommissionBP int              `json:"commission_bp"`
	Gross        int64            `json:"gross"`
	Refunds      int64            `json:"refunds"`
	Net          int64            `json:"net"`
	Commission   int64            `json:"commission"`
	Payout       int64            `json:"payout"`
	Sales        []SettlementLine `json:"sales"`
	RefundLines  []SettlementLine `json:"refund_lines"`
}

// Commission is the commission of amount at bp basis points, rounded
// down to the won.
func Commission(amount int64, bp int) int64 {
	return amount * int64(bp) / 10000
}

// Day is the span of the Seoul day of date: [start, end).
func Day(date time.Time) (start, end time.Time) {
	d := date.In(sodam.Seoul)
	start = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, sodam.Seoul)
	return start, start.AddDate(0, 0, 1)
}

// ParseDate reads YYYY-MM-DD as a Seoul day.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, sodam.Seoul)
	if err != nil {
		return time.Time{}, sodam.Errorf(sodam.EINVALID, "날짜는 YYYY-MM-DD로 적어 주세요: %q", s)
	}
	return t, nil
}

// Settle settles the day of date for one channel, or for every channel
// with a sale or a refund that day when channelID is "" (by channel id).
func (s *Service) Settle(ctx context.Context, date time.Time, channelID string) ([]*Settlement, error) {
	const op = "merchant.Settle"
	start, end := Day(date)
	ps, err := s.store.Payments(ctx, "")
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	owners := map[string]string{} // order or booking key -> channel
	by := map[string]*Settlement{}
	get := func(ch string) (*Settlement, error) {
		if st := by[ch]; st != nil {
			return st, nil
		}
		st := &Settlement{ChannelID: ch, Name: ch, Date: start.Format(time.DateOnly), CommissionBP: s.bp,
			Sales: []SettlementLine{}, RefundLines: []SettlementLine{}}
		acct, err := s.recs.Account(ctx, ch)
		switch {
		case err == nil:
			st.CommissionBP, st.Name = s.commissionBP(acct), acct.Name
		case sodam.IsCode(err, sodam.ENOTFOUND):
			if _, name, err := s.channel(ctx, ch); err == nil {
				st.Name = name
			}
		default:
			return nil, err
		}
		by[ch] = st
		return st, nil
	}
	in := func(t *time.Time) bool { return t != nil && !t.Before(start) && t.Before(end) }
	for _, p := range ps {
		if p.ApprovedAt == nil {
			continue
		}
		sale, refund := in(p.ApprovedAt), p.Status == sodam.PaymentCancelled && in(p.CancelledAt)
		if !sale && !refund {
			continue
		}
		ch, err := s.owner(ctx, p, owners)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		if channelID != "" && ch != channelID {
			continue
		}
		st, err := get(ch)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		line := SettlementLine{PaymentID: p.ID, OrderID: p.OrderID, BookingID: p.BookingID, Amount: p.Amount,
			Commission: Commission(p.Amount, st.CommissionBP)}
		if sale {
			line.At = p.ApprovedAt.In(sodam.Seoul)
			st.Sales = append(st.Sales, line)
			st.Gross += line.Amount
			st.Commission += line.Commission
		}
		if refund {
			line.At = p.CancelledAt.In(sodam.Seoul)
			st.RefundLines = append(st.RefundLines, line)
			st.Refunds += line.Amount
			st.Commission -= line.Commission
		}
	}
	if channelID != "" && by[channelID] == nil {
		if _, err := get(channelID); err != nil {
			return nil, sodam.WrapError(op, err)
		}
	}
	out := make([]*Settlement, 0, len(by))
	for _, st := range by {
		st.Net = st.Gross - st.Refunds
		st.Payout = st.Net - st.Commission
		byTime := func(a, b SettlementLine) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.PaymentID, b.PaymentID))
		}
		slices.SortFunc(st.Sales, byTime)
		slices.SortFunc(st.RefundLines, byTime)
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *Settlement) int { return cmp.Compare(a.ChannelID, b.ChannelID) })
	return out, nil
}

// SettleAccount settles the day of date for the account's channel.
func (s *Service) SettleAccount(ctx context.Context, acct *sodam.MerchantAccount, date time.Time) (*Settlement, error) {
	sts, err := s.Settle(ctx, date, acct.ChannelID)
	if err != nil {
		return nil, err
	}
	return sts[0], nil
}

// owner is the channel a payment's money belongs to.
func (s *Service) owner(ctx context.Context, p *sodam.Payment, cache map[string]string) (string, error) {
	key := "o:" + p.OrderID
	if p.OrderID == "" {
		key = "b:" + p.BookingID
	}
	if ch, ok := cache[key]; ok {
		return ch, nil
	}
	var ch string
	if p.OrderID != "" {
		o, err := s.store.Order(ctx, p.OrderID)
		if err != nil {
			return "", err
		}
		ch = o.MerchantID
	} else {
		b, err := s.store.Booking(ctx, p.BookingID)
		if err != nil {
			return "", err
		}
		ch = b.EventID
		if e, err := s.store.Event(ctx, b.EventID); err == nil && e.ChannelID != "" {
			ch = e.ChannelID
		}
	}
	cache[key] = ch
	return ch, nil
}
