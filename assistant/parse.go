package assistant

import (
	"regexp"
	"strconv"
	"time"

	"github.com/sodam-ai/sodam"

	"github.com/sodam-ai/sodam/nlu"
)

// Parser understands one message at a reference time. *nlu.Pipeline is
// the parser of the service.
type Parser interface {
	Parse(text string, ref time.Time) *nlu.Parse
}

// read parses text and completes the parse with the dialogue's own checks.
func (a *Assistant) read(text string, now time.Time) *reading {
	r := &reading{Text: text, Compact: compact(text)}
	var p *nlu.Parse
	if a.parser != nil {
		p = a.parser.Parse(text, now)
	}
	if p != nil {
		r.Intent, r.Confidence = p.Intent, p.Confidence
		s := p.Slots
		for _, it := range s.Items {
			r.Items = append(r.Items, wishOf(it))
		}
		for _, it := range p.Removals {
			r.Removals = append(r.Removals, wishOf(it))
		}
		r.Merchant, r.Category, r.Location, r.Address, r.NearMe = s.Merchant, s.Category, s.Location, s.Address, s.NearMe
		if !s.Time.IsZero() {
			t := s.Time
			r.Datetime = &t
		} else if s.Datetime != "" {
			if t, err := time.Parse(time.RFC3339, s.Datetime); err == nil {
				r.Datetime = &t
			}
		}
		if r.Datetime == nil {
			// A date the slot filler left out is still an entity.
			for _, e := range p.Entities {
				if e.Dim != nlu.DimDatetime {
					continue
				}
				t := e.Time
				if e.Span {
					t = e.From
				}
				if !t.IsZero() && e.Grain != "month" && e.Grain != "year" {
					r.Datetime = &t
					break
				}
			}
		}
		r.Event, r.Performer, r.Venue = s.Event, s.Performer, s.Venue
		r.TicketCount, r.SeatGrade, r.Budget = s.TicketCount, s.SeatGrade, s.Budget
		r.ComplaintType, r.PaymentMethod = s.ComplaintType, s.PaymentMethod
		r.Ordinal, r.Correction = p.Ordinal, p.Correction
		for _, l := range p.Links {
			ids := l.IDs
			if len(ids) == 0 && l.ID != "" {
				ids = []string{l.ID}
			}
			switch l.Kind {
			case nlu.LinkMerchant, nlu.LinkBrand:
				r.MerchantIDs = append(r.MerchantIDs, ids...)
			case nlu.LinkEvent:
				r.EventIDs = append(r.EventIDs, ids...)
			}
		}
		// A performer or venue names events when no event is named.
		if len(r.EventIDs) == 0 {
			for _, l := range p.Links {
				if l.Kind == nlu.LinkPerformer || l.Kind == nlu.LinkVenue {
					ids := l.IDs
					if len(ids) == 0 && l.ID != "" {
						ids = []string{l.ID}
					}
					r.EventIDs = append(r.EventIDs, ids...)
				}
			}
		}
	}
	if r.Datetime == nil {
		r.Datetime = monthDay(r.Compact, now)
	}
	if r.PaymentMethod == "" {
		r.PaymentMethod = paymentMethodOf(r.Compact)
	}
	if r.Ordinal == 0 {
		r.Ordinal = ordinalOf(r.Compact)
	}
	return r
}

func wishOf(it nlu.ItemSlot) ItemWish {
	q := it.Quantity
	if q <= 0 {
		q = 1
	}
	return ItemWish{Name: it.Name, Quantity: q, Options: it.Options, Candidates: it.MenuItemIDs}
}

var monthDayRE = regexp.MustCompile(`(\d{1,2})월(\d{1,2})일`)

// monthDay reads a date written as 12월 24일 in a compact text, at
// midnight in Seoul of its next occurrence from now.
func monthDay(c string, now time.Time) *time.Time {
	m := monthDayRE.FindStringSubmatch(c)
	if m == nil {
		return nil
	}
	mo, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return nil
	}
	now = now.In(sodam.Seoul)
	t := time.Date(now.Year(), time.Month(mo), d, 0, 0, 0, 0, sodam.Seoul)
	if t.Before(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, sodam.Seoul)) {
		t = t.AddDate(1, 0, 0)
	}
	return &t
}
