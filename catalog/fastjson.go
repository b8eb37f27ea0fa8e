package catalog

import (
	"strconv"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// fastDecode decodes the common shape of a catalog line into w without
// reflection: one object of the known fields, strings without escapes,
// plain numbers and no nulls, duplicate or unknown keys. It reports false
// on anything else, and the caller then decodes the line with
// encoding/json, whose result and error messages stay the reference:
// when fastDecode reports true, w holds exactly what json.Unmarshal would
// have stored.
func fastDecode(line []byte, w *wire) bool {
	d := fastDecoder{b: line}
	return d.object(w) && d.end()
}

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) end() bool {
	d.ws()
	return d.i == len(d.b)
}

// consume skips white space and then c, reporting whether it was there.
func (d *fastDecoder) consume(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// rawString returns the bytes of a string without escapes, valid UTF-8
// and without control characters.
func (d *fastDecoder) rawString() ([]byte, bool) {
	if !d.consume('"') {
		return nil, false
	}
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			return s, ascii || utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return nil, false
}

func (d *fastDecoder) str() (string, bool) {
	s, ok := d.rawString()
	return string(s), ok
}

// number returns the bytes of a JSON number.
func (d *fastDecoder) number() ([]byte, bool) {
	d.ws()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.b) && d.b[d.i] == '0':
		d.i++
	case d.i < len(d.b) && d.b[d.i] >= '1' && d.b[d.i] <= '9':
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
		}
	default:
		return nil, false
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if !d.digits() {
			return nil, false
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if !d.digits() {
			return nil, false
		}
	}
	return d.b[start:d.i], true
}

func (d *fastDecoder) digits() bool {
	start := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

func (d *fastDecoder) int64() (int64, bool) {
	n, ok := d.number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	return v, err == nil
}

func (d *fastDecoder) int() (int, bool) {
	n, ok := d.number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(string(n), 10, strconv.IntSize)
	return int(v), err == nil
}

func (d *fastDecoder) float() (float64, bool) {
	n, ok := d.number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(n), 64)
	return v, err == nil
}

func (d *fastDecoder) bool() (bool, bool) {
	d.ws()
	rest := d.b[d.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		d.i += 4
		return true, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		d.i += 5
		return false, true
	}
	return false, false
}

// members calls f for each key of an object, f decoding the value.
func (d *fastDecoder) members(f func(key []byte) bool) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		key, ok := d.rawString()
		if !ok || !d.consume(':') || !f(key) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// elements calls f for each element of an array.
func (d *fastDecoder) elements(f func() bool) bool {
	if !d.consume('[') {
		return false
	}
	if d.consume(']') {
		return true
	}
	for {
		if !f() {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume(']')
	}
}

func (d *fastDecoder) strPtr() (*string, bool) {
	s, ok := d.str()
	return &s, ok
}

func (d *fastDecoder) object(w *wire) bool {
	var seen uint64
	return d.members(func(key []byte) bool {
		bit, ok := fieldBit(key)
		if !ok || seen&bit != 0 {
			return false // unknown or repeated: leave it to encoding/json
		}
		seen |= bit
		switch string(key) {
		case "kind":
			w.Kind, ok = d.str()
		case "id":
			w.ID, ok = d.strPtr()
		case "name":
			w.Name, ok = d.strPtr()
		case "aliases":
			w.Aliases, ok = d.strings()
		case "description":
			w.Description, ok = d.str()
		case "image_url":
			w.ImageURL, ok = d.str()
		case "category":
			w.Category, ok = d.strPtr()
		case "address":
			w.Address, ok = d.str()
		case "lat":
			var v float64
			v, ok = d.float()
			w.Lat = &v
		case "lng":
			var v float64
			v, ok = d.float()
			w.Lng = &v
		case "brand":
			w.Brand, ok = d.str()
		case "opens":
			w.Opens, ok = d.strPtr()
		case "closes":
			w.Closes, ok = d.strPtr()
		case "delivery_fee":
			w.DeliveryFee, ok = d.int64()
		case "min_order":
			w.MinOrder, ok = d.int64()
		case "phone":
			w.Phone, ok = d.str()
		case "merchant_id":
			w.MerchantID, ok = d.strPtr()
		case "price":
			var v int64
			v, ok = d.int64()
			w.Price = &v
		case "options":
			w.Options, ok = d.options()
		case "discount_percent":
			w.DiscountPercent, ok = d.int()
		case "discount_until":
			w.DiscountUntil, ok = d.strPtr()
		case "sold_out":
			w.SoldOut, ok = d.bool()
		case "title":
			w.Title, ok = d.strPtr()
		case "performer":
			w.Performer, ok = d.str()
		case "venue":
			w.Venue, ok = d.str()
		case "subscriber_only":
			w.SubscriberOnly, ok = d.bool()
		case "channel_id":
			w.ChannelID, ok = d.str()
		case "channel_name":
			w.ChannelName, ok = d.str()
		case "event_id":
			w.EventID, ok = d.strPtr()
		case "starts_at":
			w.StartsAt, ok = d.strPtr()
		case "seats":
			w.Seats, ok = d.seats()
		}
		return ok
	})
}

// fieldBit gives each field of wire a bit, to find repeated keys.
func fieldBit(key []byte) (uint64, bool) {
	switch string(key) {
	case "kind":
		return 1 << 0, true
	case "id":
		return 1 << 1, true
	case "name":
		return 1 << 2, true
	case "aliases":
		return 1 << 3, true
	case "description":
		return 1 << 4, true
	case "image_url":
		return 1 << 5, true
	case "category":
		return 1 << 6, true
	case "address":
		return 1 << 7, true
	case "lat":
		return 1 << 8, true
	case "lng":
		return 1 << 9, true
	case "brand":
		return 1 << 10, true
	case "opens":
		return 1 << 11, true
	case "closes":
		return 1 << 12, true
	case "delivery_fee":
		return 1 << 13, true
	case "min_order":
		return 1 << 14, true
	case "phone":
		return 1 << 15, true
	case "merchant_id":
		return 1 << 16, true
	case "price":
		return 1 << 17, true
	case "options":
		return 1 << 18, true
	case "discount_percent":
		return 1 << 19, true
	case "discount_until":
		return 1 << 20, true
	case "sold_out":
		return 1 << 21, true
	case "title":
		return 1 << 22, true
	case "performer":
		return 1 << 23, true
	case "venue":
		return 1 << 24, true
	case "subscriber_only":
		return 1 << 25, true
	case "channel_id":
		return 1 << 26, true
	case "channel_name":
		return 1 << 27, true
	case "event_id":
		return 1 << 28, true
	case "starts_at":
		return 1 << 29, true
	case "seats":
		return 1 << 30, true
	}
	return 0, false
}

func (d *fastDecoder) strings() ([]string, bool) {
	out := []string{}
	ok := d.elements(func() bool {
		s, ok := d.str()
		out = append(out, s)
		return ok
	})
	return out, ok
}

func (d *fastDecoder) options() ([]sodam.MenuOption, bool) {
	out := []sodam.MenuOption{}
	ok := d.elements(func() bool {
		var o sodam.MenuOption
		var seen uint8
		ok := d.members(func(key []byte) bool {
			var ok bool
			switch string(key) {
			case "name":
				if seen&1 != 0 {
					return false
				}
				seen |= 1
				o.Name, ok = d.str()
			case "price":
				if seen&2 != 0 {
					return false
				}
				seen |= 2
				o.Price, ok = d.int64()
			}
			return ok
		})
		out = append(out, o)
		return ok
	})
	return out, ok
}

func (d *fastDecoder) seats() (map[string]wireSeat, bool) {
	out := map[string]wireSeat{}
	ok := d.members(func(grade []byte) bool {
		if _, dup := out[string(grade)]; dup {
			return false
		}
		var s wireSeat
		ok := d.members(func(key []byte) bool {
			switch string(key) {
			case "price":
				if s.Price != nil {
					return false
				}
				v, ok := d.int64()
				s.Price = &v
				return ok
			case "available":
				if s.Available != nil {
					return false
				}
				v, ok := d.int()
				s.Available = &v
				return ok
			}
			return false
		})
		out[string(grade)] = s
		return ok
	})
	return out, ok
}
