// Package sodam holds the domain of Sodam, a chat assistant for local
// commerce: merchants and their menus, events and their sessions, the
// orders, bookings, payments and complaints of users, the rules of the
// service that price and admit them, and the interfaces through which the
// rest of the project stores and serves them.
//
// The package imports nothing of the project. Implementations live in
// packages named after what they wrap (connectors/memstore,
// connectors/postgres, ...); cmd/assistant wires them together.
package sodam

import "time"

// Seoul is the default zone of the service. Times without a zone are read
// in it and replies are written in it.
var Seoul = mustLoadSeoul()

func mustLoadSeoul() *time.Location {
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		// Systems without tzdata still get the right fixed offset; Korea
		// has no daylight saving time.
		return time.FixedZone("KST", 9*60*60)
	}
	return loc
}

// Clock tells the time. The service uses the wall clock; evaluations and
// tests pass a fixed or stepping clock so that opening hours, discounts and
// session times are reproducible.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// WallClock is the real time in Seoul.
var WallClock Clock = ClockFunc(func() time.Time { return time.Now().In(Seoul) })
