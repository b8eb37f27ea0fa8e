package memstore

import (
	"maps"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
)

// The clone functions deep-copy records so that no slice, map or pointer
// is shared between the store and its callers.

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

func cloneMerchant(m *sodam.Merchant) *sodam.Merchant {
	c := *m
	c.Aliases = slices.Clone(m.Aliases)
	return &c
}

func cloneMenuItem(i *sodam.MenuItem) *sodam.MenuItem {
	c := *i
	c.Aliases = slices.Clone(i.Aliases)
	c.Options = slices.Clone(i.Options)
	c.DiscountUntil = cloneTime(i.DiscountUntil)
	return &c
}

func cloneEvent(e *sodam.Event) *sodam.Event {
	c := *e
	return &c
}

func cloneSession(s *sodam.Session) *sodam.Session {
	c := *s
	c.Seats = maps.Clone(s.Seats)
	return &c
}

func cloneUser(u *sodam.User) *sodam.User {
	c := *u
	c.Subscriptions = slices.Clone(u.Subscriptions)
	return &c
}

func cloneOrder(o *sodam.Order) *sodam.Order {
	c := *o
	if o.Items != nil {
		c.Items = make([]sodam.OrderLine, len(o.Items))
		for k, l := range o.Items {
			l.Options = slices.Clone(l.Options)
			c.Items[k] = l
		}
	}
	c.PlacedAt = cloneTime(o.PlacedAt)
	c.PaidAt = cloneTime(o.PaidAt)
	c.CancelledAt = cloneTime(o.CancelledAt)
	return &c
}

func cloneBooking(b *sodam.Booking) *sodam.Booking {
	c := *b
	return &c
}

func clonePayment(p *sodam.Payment) *sodam.Payment {
	c := *p
	c.ApprovedAt = cloneTime(p.ApprovedAt)
	c.CancelledAt = cloneTime(p.CancelledAt)
	return &c
}

func cloneComplaint(c *sodam.Complaint) *sodam.Complaint {
	x := *c
	return &x
}

func cloneToolCall(t *sodam.ToolCall) *sodam.ToolCall {
	c := *t
	c.Args = slices.Clone(t.Args)
	c.Result = slices.Clone(t.Result)
	return &c
}
