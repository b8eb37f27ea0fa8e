package catalog

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
)

const (
	goodMerchant = `{"kind": "merchant", "id": "m-1", "name": "교동치킨 혜화점", "brand": "교동치킨", "category": "치킨", "address": "서울 종로구 대학로 100", "lat": 37.5822, "lng": 127.0019, "opens": "11:00", "closes": "24:00", "delivery_fee": 3000, "min_order": 15000}`
	goodItem     = `{"kind": "menu_item", "id": "i-1", "merchant_id": "m-1", "name": "후라이드치킨", "aliases": ["후라이드", "프라이드"], "price": 18000, "options": [{"name": "순살", "price": 2000}], "discount_percent": 10, "discount_until": "2026-11-30T23:59:00+09:00"}`
	goodEvent    = `{"kind": "event", "id": "e-1", "title": "아이유 콘서트 〈HEREH〉", "performer": "아이유", "category": "콘서트", "venue": "KSPO DOME", "subscriber_only": false, "channel_id": "ch-edam"}`
	goodSession  = `{"kind": "session", "id": "s-1", "event_id": "e-1", "starts_at": "2026-12-24T19:00:00+09:00", "seats": {"VIP": {"price": 165000, "available": 100}, "R": {"price": 143000, "available": 0}}}`
)

// readAll reads every record and every line error of src.
func readAll(t *testing.T, src, format string) ([]Record, []*LineError) {
	t.Helper()
	rd := NewReader(strings.NewReader(src), format)
	var recs []Record
	var errs []*LineError
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return recs, errs
		}
		var le *LineError
		if errors.As(err, &le) {
			errs = append(errs, le)
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		recs = append(recs, rec)
	}
}

func TestReaderGoodLines(t *testing.T) {
	src := goodMerchant + "\n\n" + goodItem + "\r\n   \n" + goodEvent + "\n" + goodSession // no final newline
	recs, errs := readAll(t, src, FormatJSONL)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	until := time.Date(2026, 11, 30, 23, 59, 0, 0, sodam.Seoul)
	want := []Record{
		{Kind: KindMerchant, Merchant: &sodam.Merchant{ID: "m-1", Name: "교동치킨 혜화점", Brand: "교동치킨", Category: "치킨",
			Address: "서울 종로구 대학로 100", Lat: 37.5822, Lng: 127.0019, Opens: "11:00", Closes: "24:00", DeliveryFee: 3000, MinOrder: 15000}},
		{Kind: KindMenuItem, MenuItem: &sodam.MenuItem{ID: "i-1", MerchantID: "m-1", Name: "후라이드치킨", Aliases: []string{"후라이드", "프라이드"},
			Price: 18000, Options: []sodam.MenuOption{{Name: "순살", Price: 2000}}, DiscountPercent: 10, DiscountUntil: &until}},
		{Kind: KindEvent, Event: &sodam.Event{ID: "e-1", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트", Venue: "KSPO DOME", ChannelID: "ch-edam"}},
		{Kind: KindSession, Session: &sodam.Session{ID: "s-1", EventID: "e-1", StartsAt: time.Date(2026, 12, 24, 19, 0, 0, 0, sodam.Seoul),
			Seats: map[string]sodam.Seat{"VIP": {Price: 165000, Available: 100}, "R": {Price: 143000, Available: 0}}}},
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// edit returns line with the JSON member "key": ... replaced by repl, or
// removed when repl is "".
func edit(t *testing.T, line, key, repl string) string {
	t.Helper()
	i := strings.Index(line, `"`+key+`":`)
	if i < 0 {
		t.Fatalf("no %q in %s", key, line)
	}
	// The value ends at the comma or brace that closes it at depth 0.
	depth, j, inStr := 0, i+len(key)+3, false
	for ; j < len(line); j++ {
		c := line[j]
		switch {
		case inStr && c == '\\':
			j++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
		case (c == '}' || c == ']') && depth > 0:
			depth--
		case (c == ',' || c == '}') && depth == 0:
			if repl == "" {
				if c == ',' {
					return line[:i] + strings.TrimLeft(line[j+1:], " ")
				}
				return strings.TrimRight(strings.TrimRight(line[:i], " "), ",") + line[j:]
			}
			return line[:i] + `"` + key + `": ` + repl + line[j:]
		}
	}
	t.Fatalf("unterminated %q in %s", key, line)
	return ""
}

func TestReaderBadLines(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the whole LineError text; its line is 3
	}{
		// required fields, one by one
		{"merchant id", edit(t, goodMerchant, "id", ""), "line 3: merchant: id is required"},
		{"merchant empty id", edit(t, goodMerchant, "id", `""`), "line 3: merchant: id is required"},
		{"merchant name", edit(t, goodMerchant, "name", ""), "line 3: merchant m-1: name is required"},
		{"merchant category", edit(t, goodMerchant, "category", ""), "line 3: merchant m-1: category is required"},
		{"merchant lat", edit(t, goodMerchant, "lat", ""), "line 3: merchant m-1: lat is required"},
		{"merchant lng", edit(t, goodMerchant, "lng", ""), "line 3: merchant m-1: lng is required"},
		{"merchant opens", edit(t, goodMerchant, "opens", ""), "line 3: merchant m-1: opens is required"},
		{"merchant closes", edit(t, goodMerchant, "closes", ""), "line 3: merchant m-1: closes is required"},
		{"item id", edit(t, goodItem, "id", ""), "line 3: menu_item: id is required"},
		{"item merchant_id", edit(t, goodItem, "merchant_id", ""), "line 3: menu_item i-1: merchant_id is required"},
		{"item name", edit(t, goodItem, "name", ""), "line 3: menu_item i-1: name is required"},
		{"item price", edit(t, goodItem, "price", ""), "line 3: menu_item i-1: price is required"},
		{"event id", edit(t, goodEvent, "id", ""), "line 3: event: id is required"},
		{"event title", edit(t, goodEvent, "title", ""), "line 3: event e-1: title is required"},
		{"event category", edit(t, goodEvent, "category", ""), "line 3: event e-1: category is required"},
		{"session id", edit(t, goodSession, "id", ""), "line 3: session: id is required"},
		{"session event_id", edit(t, goodSession, "event_id", ""), "line 3: session s-1: event_id is required"},
		{"session starts_at", edit(t, goodSession, "starts_at", ""), "line 3: session s-1: starts_at is required"},
		{"session seats", edit(t, goodSession, "seats", ""), "line 3: session s-1: seats are required (at least one grade)"},
		{"session empty seats", edit(t, goodSession, "seats", "{}"), "line 3: session s-1: seats are required (at least one grade)"},
		{"seat price", edit(t, goodSession, "seats", `{"R": {"available": 3}}`), "line 3: session s-1: seats: grade R: price is required"},
		{"seat available", edit(t, goodSession, "seats", `{"R": {"price": 3}}`), "line 3: session s-1: seats: grade R: available is required"},
		{"kind", edit(t, goodMerchant, "kind", ""), "line 3: kind is required"},

		// types
		{"price as string", edit(t, goodItem, "price", `"18000"`), "line 3: menu_item i-1: price: want an integer, got string"},
		{"price with decimals", edit(t, goodItem, "price", `18000.5`), "line 3: menu_item i-1: price: want an integer, got number 18000.5"},
		{"lat as string", edit(t, goodMerchant, "lat", `"37.5"`), "line 3: merchant m-1: lat: want a number, got string"},
		{"aliases as string", edit(t, goodItem, "aliases", `"후라이드"`), "line 3: menu_item i-1: aliases: want an array, got string"},
		{"subscriber_only as string", edit(t, goodEvent, "subscriber_only", `"no"`), "line 3: event e-1: subscriber_only: want true or false, got string"},
		{"seats as array", edit(t, goodSession, "seats", `[]`), "line 3: session s-1: seats: want an object, got array"},
		{"id as number", edit(t, goodMerchant, "id", `1`), "line 3: merchant: id: want a string, got number"},
		{"not an object", `[1, 2]`, "line 3: a line must be a JSON object, not array"},
		{"broken JSON", `{"kind": "merchant", "id": "m-1",`, "line 3: invalid JSON at byte 33: unexpected end of JSON input"},
		{"unknown kind", edit(t, goodMerchant, "kind", `"shop"`), `line 3: shop m-1: unknown kind "shop" (want merchant, menu_item, event or session)`},

		// ranges and formats
		{"negative price", edit(t, goodItem, "price", `-1`), "line 3: menu_item i-1: price must be >= 0"},
		{"negative option price", edit(t, goodItem, "options", `[{"name": "순살", "price": -500}]`), "line 3: menu_item i-1: options: 순살: price must be >= 0"},
		{"option without name", edit(t, goodItem, "options", `[{"price": 500}]`), "line 3: menu_item i-1: options: an option needs a name"},
		{"discount over 100", edit(t, goodItem, "discount_percent", `120`), "line 3: menu_item i-1: discount_percent 120 must be 0..100"},
		{"negative discount", edit(t, goodItem, "discount_percent", `-5`), "line 3: menu_item i-1: discount_percent -5 must be 0..100"},
		{"discount_until without offset", edit(t, goodItem, "discount_until", `"2026-11-30T23:59:00"`), `line 3: menu_item i-1: discount_until: "2026-11-30T23:59:00" is not an RFC 3339 time with an offset`},
		{"discount_until a date", edit(t, goodItem, "discount_until", `"2026-11-30"`), `line 3: menu_item i-1: discount_until: "2026-11-30" is not an RFC 3339 time with an offset`},
		{"lat out of range", edit(t, goodMerchant, "lat", `91`), "line 3: merchant m-1: lat 91 out of range -90..90"},
		{"lng out of range", edit(t, goodMerchant, "lng", `-181`), "line 3: merchant m-1: lng -181 out of range -180..180"},
		{"lat and lng zero", edit(t, edit(t, goodMerchant, "lat", `0`), "lng", `0`), "line 3: merchant m-1: lat and lng are both 0 (not a place a store can be)"},
		{"opens not a time", edit(t, goodMerchant, "opens", `"11시"`), `line 3: merchant m-1: opens: "11시" is not HH:MM`},
		{"closes past 24", edit(t, goodMerchant, "closes", `"25:00"`), `line 3: merchant m-1: closes: "25:00" is not a time of day`},
		{"negative delivery fee", edit(t, goodMerchant, "delivery_fee", `-100`), "line 3: merchant m-1: delivery_fee must be >= 0"},
		{"negative min order", edit(t, goodMerchant, "min_order", `-1`), "line 3: merchant m-1: min_order must be >= 0"},
		{"empty alias", edit(t, goodItem, "aliases", `["후라이드", " "]`), "line 3: menu_item i-1: aliases: an alias is empty"},
		{"event lat without lng", strings.Replace(goodEvent, `"venue"`, `"lat": 37.5, "venue"`, 1), "line 3: event e-1: lng is required"},
		{"subscriber_only without channel", edit(t, edit(t, goodEvent, "subscriber_only", `true`), "channel_id", ""), "line 3: event e-1: a subscriber_only event needs a channel_id"},
		{"starts_at not a time", edit(t, goodSession, "starts_at", `"12월 24일 저녁 7시"`), `line 3: session s-1: starts_at: "12월 24일 저녁 7시" is not an RFC 3339 time with an offset`},
		{"month 13", edit(t, goodSession, "starts_at", `"2026-13-24T19:00:00+09:00"`), `line 3: session s-1: starts_at: "2026-13-24T19:00:00+09:00" is not an RFC 3339 time with an offset`},
		{"negative seats", edit(t, goodSession, "seats", `{"R": {"price": 1000, "available": -1}}`), "line 3: session s-1: seats: grade R: available must be >= 0"},
		{"negative seat price", edit(t, goodSession, "seats", `{"R": {"price": -1000, "available": 1}}`), "line 3: session s-1: seats: grade R: price must be >= 0"},
		{"unnamed grade", edit(t, goodSession, "seats", `{"": {"price": 1000, "available": 1}}`), "line 3: session s-1: seats: a grade needs a name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A good line, a blank line, the bad line, a good line: the bad
			// line is line 3 and both good ones are still read.
			src := goodMerchant + "\n\n" + tc.line + "\n" + goodEvent + "\n"
			recs, errs := readAll(t, src, FormatJSONL)
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want 1 (line: %s)", len(errs), errs, tc.line)
			}
			if got := errs[0].Error(); got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
			if errs[0].Line != 3 {
				t.Errorf("Line = %d, want 3", errs[0].Line)
			}
			if len(recs) != 2 || recs[0].ID() != "m-1" || recs[1].ID() != "e-1" {
				t.Errorf("good records around the bad line: %+v", recs)
			}
		})
	}
}

func TestReaderUnknownFieldsAllowed(t *testing.T) {
	line := strings.Replace(goodMerchant, `"name"`, `"rating": 4.5, "tags": ["야식"], "name"`, 1)
	recs, errs := readAll(t, line, FormatJSONL)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("records %v, errors %v; want one record", recs, errs)
	}
}

func TestReaderLongLines(t *testing.T) {
	long := strings.Replace(goodMerchant, `"name"`, `"description": "`+strings.Repeat("가", 1<<20/3+1)+`", "name"`, 1)
	tooLong := `{"kind": "merchant", "description": "` + strings.Repeat("x", MaxLineBytes) + `"}`
	src := long + "\n" + tooLong + "\n" + goodEvent + "\n" + long
	recs, errs := readAll(t, src, FormatJSONL)
	if len(recs) != 3 {
		t.Errorf("got %d records, want 3 (two 1 MB lines and an event)", len(recs))
	}
	if len(recs) > 0 && len(recs[0].Merchant.Description) < 1<<20 {
		t.Errorf("description of %d bytes, want the whole 1 MB", len(recs[0].Merchant.Description))
	}
	if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Error(), "line longer than") {
		t.Errorf("errors %v, want line 2 too long", errs)
	}
}

func TestReaderByteOrderMark(t *testing.T) {
	recs, errs := readAll(t, "\xef\xbb\xbf"+goodMerchant+"\n", FormatJSONL)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
}

func TestReaderUnknownFormat(t *testing.T) {
	_, err := NewReader(strings.NewReader(goodMerchant), "xml").Next()
	if err == nil || err == io.EOF {
		t.Fatalf("Next = %v, want an error", err)
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{
		"catalog.jsonl": "jsonl", "a/b/C.JSONL": "jsonl", "x.ndjson": "jsonl",
		"merchants.csv": "csv", "catalog.txt": "", "catalog": "",
	} {
		if got := FormatOf(path); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", path, got, want)
		}
	}
}
