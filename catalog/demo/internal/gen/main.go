// Command gen writes the demo catalog: 57 merchants in seven Seoul
// neighbourhoods with their menus, and 26 concerts, musicals, plays and
// fan meetings with their sessions, as JSON Lines.
//
// Dates are laid out after a base date given with -base: sessions fall on
// weekdays counted from it ("the first Saturday after the base date") and
// discounts end six or thirteen days after it. The same data is written
// for the embedded demo catalog (base 2026-01-01, shifted at load time)
// and for the evaluation catalog (base 2026-11-24, used as it is):
//
//	go run ./internal/gen -base 2026-01-01 -out demo.jsonl
//	go run ./internal/gen -base 2026-11-24 -out ../../evals/testdata/catalog.jsonl
//
// The output is deterministic. Ids are stable: merchants m-001.., their
// items i-<merchant>-01.., events e-001.., their sessions s-<event>-1..;
// new records go at the end of their lists.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

func main() {
	base := flag.String("base", "2026-01-01", "base date (YYYY-MM-DD, Seoul) the dates are laid out after")
	out := flag.String("out", "demo.jsonl", "file to write")
	flag.Parse()
	if err := run(*base, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(baseDate, out string) error {
	base, err := time.ParseInLocation(time.DateOnly, baseDate, sodam.Seoul)
	if err != nil {
		return fmt.Errorf("-base: %w", err)
	}
	var buf bytes.Buffer
	if err := generate(&buf, base); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// generate writes the catalog laid out after base (midnight in Seoul).
func generate(w io.Writer, base time.Time) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	put := func(v any) error { return enc.Encode(v) }

	g := 0 // items seen, for the rotation of discounts
	for k, s := range shops() {
		m := merchant(k+1, s)
		if err := put(struct {
			Kind string `json:"kind"`
			*sodam.Merchant
		}{"merchant", m}); err != nil {
			return err
		}
		for j, it := range s.menu {
			mi := &sodam.MenuItem{
				ID:          fmt.Sprintf("i-%03d-%02d", k+1, j+1),
				MerchantID:  m.ID,
				Name:        it.name,
				Aliases:     it.aliases,
				Price:       it.price,
				Description: it.desc,
				Options:     it.options,
			}
			if !it.drink {
				if g%10 == 0 {
					mi.DiscountPercent = []int{10, 15, 20, 10, 30}[(g/10)%5]
					days := 6
					if (g/10)%3 == 2 {
						days = 13
					}
					until := base.AddDate(0, 0, days).Add(23*time.Hour + 59*time.Minute)
					mi.DiscountUntil = &until
				} else if g%97 == 50 {
					mi.SoldOut = true
				}
				g++
			}
			if err := put(struct {
				Kind string `json:"kind"`
				*sodam.MenuItem
			}{"menu_item", mi}); err != nil {
				return err
			}
		}
	}

	for k, sh := range shows() {
		e := &sodam.Event{
			ID: fmt.Sprintf("e-%03d", k+1), Title: sh.title, Performer: sh.performer,
			Category: sh.category, Venue: sh.venue.name, Address: sh.venue.address,
			Description: sh.desc, SubscriberOnly: sh.subscriberOnly,
			ChannelID: sh.channelID, ChannelName: sh.channelName,
			Lat: sh.venue.lat, Lng: sh.venue.lng,
		}
		if err := put(struct {
			Kind string `json:"kind"`
			*sodam.Event
		}{"event", e}); err != nil {
			return err
		}
		for j, spec := range sh.sessions {
			at, err := sessionTime(base, spec)
			if err != nil {
				return fmt.Errorf("%s: %w", e.ID, err)
			}
			seats := make(map[string]sodam.Seat, len(sh.grades))
			share := []int{100, 70, 45, 85, 30, 60}[j%6]
			for _, gr := range sh.grades {
				seats[gr.name] = sodam.Seat{Price: gr.price, Available: gr.available * share / 100}
			}
			for _, o := range sh.overrides {
				if o.session == j+1 {
					s := seats[o.grade]
					s.Available = o.available
					seats[o.grade] = s
				}
			}
			ss := &sodam.Session{ID: fmt.Sprintf("s-%03d-%d", k+1, j+1), EventID: e.ID, StartsAt: at, Seats: seats}
			if err := put(struct {
				Kind string `json:"kind"`
				*sodam.Session
			}{"session", ss}); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// merchant places shop s, the n-th merchant, in its area: the first is
// pinned to the address the service's examples use, the others are spread
// a few hundred metres around the centre of their area.
func merchant(n int, s shop) *sodam.Merchant {
	m := &sodam.Merchant{
		ID: fmt.Sprintf("m-%03d", n), Name: s.name, Brand: s.brand, Aliases: s.aliases,
		Category: s.category, Opens: s.opens, Closes: s.closes,
		DeliveryFee: s.fee, MinOrder: s.minOrder, Description: s.desc,
		Phone: fmt.Sprintf("02-%d-%04d", 300+(n*17)%600, (n*7919)%10000),
	}
	if n == 1 {
		m.Address, m.Lat, m.Lng = "서울 종로구 대학로 100", 37.5822, 127.0019
		return m
	}
	a := s.area
	m.Lat = round4(a.lat + float64((n*37)%21-10)*0.0004)
	m.Lng = round4(a.lng + float64((n*53)%21-10)*0.0005)
	m.Address = fmt.Sprintf("서울 %s %s %d", a.gu, a.streets[n%len(a.streets)], 10+(n*29)%180)
	return m
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

// sessionTime reads "<day> HH:MM" (see show) into a time after base.
func sessionTime(base time.Time, spec string) (time.Time, error) {
	day, clock, ok := strings.Cut(spec, " ")
	if !ok {
		return time.Time{}, fmt.Errorf("session %q: want \"<day> HH:MM\"", spec)
	}
	mins, err := sodam.ParseClock(clock)
	if err != nil {
		return time.Time{}, fmt.Errorf("session %q: %w", spec, err)
	}
	var date time.Time
	if n, err := strconv.Atoi(strings.TrimPrefix(day, "d")); err == nil && strings.HasPrefix(day, "d") {
		date = base.AddDate(0, 0, n)
	} else {
		wd, weeks, err := weekday(day)
		if err != nil {
			return time.Time{}, fmt.Errorf("session %q: %w", spec, err)
		}
		ahead := (int(wd)-int(base.Weekday())+6)%7 + 1 // 1..7: strictly after base
		date = base.AddDate(0, 0, ahead+7*weeks)
	}
	return time.Date(date.Year(), date.Month(), date.Day(), mins/60, mins%60, 0, 0, sodam.Seoul), nil
}

func weekday(s string) (time.Weekday, int, error) {
	names := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	for i, n := range names {
		if rest, ok := strings.CutPrefix(s, n); ok {
			w, err := strconv.Atoi(rest)
			if err != nil || w < 0 {
				break
			}
			return time.Weekday(i), w, nil
		}
	}
	return 0, 0, fmt.Errorf("%q is not a day like sat0 or d30", s)
}
