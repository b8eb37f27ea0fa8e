package catalog

import (
	"reflect"
	"time"

	"github.com/sodam-ai/sodam"
)

// The same* functions tell whether a stored record equals a new one, so
// that re-ingesting a file writes nothing. They look past differences a
// store may introduce without changing meaning: a nil versus an empty
// list or map, and the zone in which a time is expressed.

func sameMerchant(a, b *sodam.Merchant) bool {
	x, y := *a, *b
	x.Aliases, y.Aliases = nilIfEmpty(x.Aliases), nilIfEmpty(y.Aliases)
	return reflect.DeepEqual(x, y)
}

func sameMenuItem(a, b *sodam.MenuItem) bool {
	x, y := *a, *b
	if !sameTimePtr(x.DiscountUntil, y.DiscountUntil) {
		return false
	}
	x.DiscountUntil, y.DiscountUntil = nil, nil
	x.Aliases, y.Aliases = nilIfEmpty(x.Aliases), nilIfEmpty(y.Aliases)
	if len(x.Options) == 0 && len(y.Options) == 0 {
		x.Options, y.Options = nil, nil
	}
	return reflect.DeepEqual(x, y)
}

func sameEvent(a, b *sodam.Event) bool { return *a == *b }

func sameSession(a, b *sodam.Session) bool {
	if a.ID != b.ID || a.EventID != b.EventID || !a.StartsAt.Equal(b.StartsAt) || len(a.Seats) != len(b.Seats) {
		return false
	}
	for g, s := range a.Seats {
		if t, ok := b.Seats[g]; !ok || s != t {
			return false
		}
	}
	return true
}

func sameTimePtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
