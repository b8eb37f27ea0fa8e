package catalog_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/sodam-ai/sodam/catalog"
)

// FuzzReader reads arbitrary catalog files, as JSON Lines and as CSV. It
// must never panic nor loop: every call of Next returns a record that
// passes its kind's validation, a *LineError naming a line read so far
// (after which reading goes on), or a final error; and it ends within
// one call per line plus one.
func FuzzReader(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"merchant","id":"m-001","name":"교동치킨 혜화점","category":"치킨","lat":37.58,"lng":127.0,"opens":"11:00","closes":"24:00","delivery_fee":3000,"min_order":15000}`,
		`{"kind":"menu_item","id":"i-001","merchant_id":"m-001","name":"후라이드치킨","aliases":["후라이드"],"price":18000,"options":[{"name":"순살","price":2000}],"discount_percent":10,"discount_until":"2026-11-30T23:59:00+09:00"}`,
		`{"kind":"event","id":"e-001","title":"아이유 콘서트","category":"콘서트","subscriber_only":true,"channel_id":"ch-edam"}`,
		`{"kind":"session","id":"s-001","event_id":"e-001","starts_at":"2026-12-24T19:00:00+09:00","seats":{"VIP":{"price":165000,"available":100}}}`,
		"\xef\xbb\xbf{\"kind\":\"merchant\"}\n\n{\"kind\":\"nope\"}\n{",
		`{"kind":"merchant","id":"m","name":"x","category":"y","lat":1e400,"lng":-0,"opens":"25:00","closes":"24:00"}`,
		"kind,id,name,category,lat,lng,opens,closes\nmerchant,m-1,가게,치킨,37.5,127.0,11:00,22:00\nmerchant,m-2,\"a\"\"b\",치킨,x,y,z,w",
		"id,merchant_id,name,price\ni-1,m-1,콜라,2000",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file string) {
		for _, format := range []string{catalog.FormatJSONL, catalog.FormatCSV} {
			rd := catalog.NewReader(strings.NewReader(file), format)
			limit := strings.Count(file, "\n") + 2
			for calls := 0; ; calls++ {
				if calls > limit {
					t.Fatalf("%s: %d calls of Next on %d lines", format, calls, limit-1)
				}
				rec, err := rd.Next()
				if err == io.EOF {
					break
				}
				var le *catalog.LineError
				if errors.As(err, &le) {
					if le.Line < 1 || le.Line > rd.Line() {
						t.Fatalf("%s: error on line %d, read %d", format, le.Line, rd.Line())
					}
					continue
				}
				if err != nil {
					break // final
				}
				if rec.ID() == "" {
					t.Fatalf("%s: record without an id: %+v", format, rec)
				}
				if err := validate(rec); err != nil {
					t.Fatalf("%s: record read but invalid: %v", format, err)
				}
			}
		}
	})
}

func validate(r catalog.Record) error {
	switch {
	case r.Merchant != nil:
		return r.Merchant.Validate()
	case r.MenuItem != nil:
		return r.MenuItem.Validate()
	case r.Event != nil:
		return r.Event.Validate()
	case r.Session != nil:
		return r.Session.Validate()
	}
	return errors.New("record of no kind")
}
