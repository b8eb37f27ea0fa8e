// Package demo embeds the demo catalog: 57 merchants with their menus in
// seven Seoul neighbourhoods (대학로·혜화, 강남역·역삼, 홍대·합정, 잠실,
// 신촌, 성수, 여의도) and 26 concerts, musicals, plays and fan meetings
// with their sessions. The terminal chat, the server's embedded store and
// the tests load it.
//
// The file is written by ./internal/gen with every date laid out after
// Base. Records shifts those dates by whole weeks so that every session
// and every discount lies after the time given and weekdays stay as they
// were written (a Saturday matinee stays a Saturday matinee).
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
)

//go:generate go run ./internal/gen -base 2026-01-01 -out demo.jsonl
//go:generate go run ./internal/gen -base 2026-11-24 -out ../../evals/testdata/catalog.jsonl

//go:embed demo.jsonl
var file []byte

// Base is the date, midnight in Seoul, after which demo.jsonl lays out its
// dates. It matches the -base of the go:generate line above.
func Base() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, sodam.Seoul) }

// JSONL returns a reader of the demo catalog as written, dates unshifted.
func JSONL() io.Reader { return bytes.NewReader(file) }

// Records returns the demo catalog with its dates moved to lie after now:
// every session start and every discount end is shifted by the same whole
// number of weeks, the smallest that puts the first day of the layout
// (the day after Base) after now's date in Seoul. The records are new on
// every call; the caller may change them.
func Records(now time.Time) ([]catalog.Record, error) {
	shift := Shift(now)
	rd := catalog.NewReader(bytes.NewReader(file), catalog.FormatJSONL)
	var recs []catalog.Record
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("demo catalog: %w", err)
		}
		switch {
		case rec.MenuItem != nil && rec.MenuItem.DiscountUntil != nil:
			t := rec.MenuItem.DiscountUntil.AddDate(0, 0, shift)
			rec.MenuItem.DiscountUntil = &t
		case rec.Session != nil:
			rec.Session.StartsAt = rec.Session.StartsAt.AddDate(0, 0, shift)
		}
		recs = append(recs, rec)
	}
}

// Shift returns the number of days, a multiple of seven, by which Records
// moves the dates of the file for now.
func Shift(now time.Time) int {
	n := now.In(sodam.Seoul)
	day := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, sodam.Seoul)
	// Calendar days between Base and now's date; rounding absorbs the
	// hour a zone change could add.
	days := int(day.Sub(Base()).Hours()/24 + 0.5)
	weeks := days / 7 // truncated toward zero: rounded up when days < 0
	if days > weeks*7 {
		weeks++ // round up when days > 0
	}
	return weeks * 7
}

// Load upserts the demo catalog, dated for now, into store.
func Load(ctx context.Context, store sodam.CatalogStore, now time.Time) error {
	recs, err := Records(now)
	if err != nil {
		return err
	}
	for _, r := range recs {
		var err error
		switch r.Kind {
		case catalog.KindMerchant:
			err = store.UpsertMerchant(ctx, r.Merchant)
		case catalog.KindMenuItem:
			err = store.UpsertMenuItem(ctx, r.MenuItem)
		case catalog.KindEvent:
			err = store.UpsertEvent(ctx, r.Event)
		case catalog.KindSession:
			err = store.UpsertSession(ctx, r.Session)
		}
		if err != nil {
			return fmt.Errorf("demo catalog: loading %s %s: %w", r.Kind, r.ID(), err)
		}
	}
	return nil
}
