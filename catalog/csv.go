package catalog

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sodam-ai/sodam"
)

// column is one column of a CSV header: its name and how a cell of it is
// stored into the wire record (nil for a column that is ignored).
type column struct {
	name string
	set  func(w *wire, cell string) error
}

func (r *Reader) nextCSV() (Record, error) {
	if r.cols == nil {
		if err := r.readHeader(); err != nil {
			r.err = err
			return Record{}, err
		}
	}
	for {
		row, err := r.cr.Read()
		if err == io.EOF {
			r.err = io.EOF
			return Record{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.line = pe.StartLine
			return Record{}, &LineError{Line: pe.StartLine, Err: fmt.Errorf("CSV: %v", pe.Err)}
		}
		if err != nil {
			r.err = fmt.Errorf("catalog: %w", err)
			return Record{}, r.err
		}
		r.line, _ = r.cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		if len(row) != len(r.cols) {
			return Record{}, &LineError{Line: r.line, Err: fmt.Errorf("%d cells, want %d as in the header", len(row), len(r.cols))}
		}
		r.w = wire{Kind: r.kind}
		var cellErr error
		for i, c := range r.cols {
			cell := strings.TrimSpace(row[i])
			if c.set == nil || cell == "" {
				continue
			}
			if err := c.set(&r.w, cell); err != nil && cellErr == nil {
				cellErr = fmt.Errorf("%s: %w", c.name, err)
			}
		}
		if cellErr != nil {
			return Record{}, &LineError{Line: r.line, Kind: r.w.Kind, ID: r.w.id(), Err: cellErr}
		}
		return finish(&r.w, r.line)
	}
}

// readHeader reads the header row. Without a "kind" column the kind of
// every row follows from the columns: event_id makes sessions,
// merchant_id menu items, title events, and anything else merchants.
func (r *Reader) readHeader() error {
	for {
		row, err := r.cr.Read()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return fmt.Errorf("catalog: CSV header: %w", err)
		}
		r.line, _ = r.cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		seen := make(map[string]bool, len(row))
		cols := make([]column, len(row))
		for i, name := range row {
			if i == 0 {
				name = strings.TrimPrefix(name, string(utf8BOM))
			}
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				return fmt.Errorf("catalog: CSV header: column %d has no name", i+1)
			}
			if seen[name] {
				return fmt.Errorf("catalog: CSV header: column %q appears twice", name)
			}
			seen[name] = true
			cols[i] = column{name: name, set: csvSetter(name)}
		}
		if !seen["id"] {
			return errors.New(`catalog: CSV header: an "id" column is required`)
		}
		if !seen["kind"] {
			switch {
			case seen["event_id"]:
				r.kind = KindSession
			case seen["merchant_id"]:
				r.kind = KindMenuItem
			case seen["title"]:
				r.kind = KindEvent
			default:
				r.kind = KindMerchant
			}
		}
		r.cols = cols
		return nil
	}
}

// csvSetter returns how a cell of the named column is stored, or nil for
// a column no kind uses (it is ignored, as unknown JSON fields are).
func csvSetter(name string) func(w *wire, cell string) error {
	str := func(f func(w *wire) *string) func(*wire, string) error {
		return func(w *wire, c string) error { *f(w) = c; return nil }
	}
	ptr := func(f func(w *wire) **string) func(*wire, string) error {
		return func(w *wire, c string) error { *f(w) = &c; return nil }
	}
	switch name {
	case "kind":
		return str(func(w *wire) *string { return &w.Kind })
	case "id":
		return ptr(func(w *wire) **string { return &w.ID })
	case "name":
		return ptr(func(w *wire) **string { return &w.Name })
	case "category":
		return ptr(func(w *wire) **string { return &w.Category })
	case "opens":
		return ptr(func(w *wire) **string { return &w.Opens })
	case "closes":
		return ptr(func(w *wire) **string { return &w.Closes })
	case "merchant_id":
		return ptr(func(w *wire) **string { return &w.MerchantID })
	case "discount_until":
		return ptr(func(w *wire) **string { return &w.DiscountUntil })
	case "title":
		return ptr(func(w *wire) **string { return &w.Title })
	case "event_id":
		return ptr(func(w *wire) **string { return &w.EventID })
	case "starts_at":
		return ptr(func(w *wire) **string { return &w.StartsAt })
	case "brand":
		return str(func(w *wire) *string { return &w.Brand })
	case "address":
		return str(func(w *wire) *string { return &w.Address })
	case "description":
		return str(func(w *wire) *string { return &w.Description })
	case "phone":
		return str(func(w *wire) *string { return &w.Phone })
	case "image_url":
		return str(func(w *wire) *string { return &w.ImageURL })
	case "performer":
		return str(func(w *wire) *string { return &w.Performer })
	case "venue":
		return str(func(w *wire) *string { return &w.Venue })
	case "channel_id":
		return str(func(w *wire) *string { return &w.ChannelID })
	case "channel_name":
		return str(func(w *wire) *string { return &w.ChannelName })
	case "lat":
		return func(w *wire, c string) error { v, err := parseFloat(c); w.Lat = &v; return err }
	case "lng":
		return func(w *wire, c string) error { v, err := parseFloat(c); w.Lng = &v; return err }
	case "price":
		return func(w *wire, c string) error { v, err := parseInt(c); w.Price = &v; return err }
	case "delivery_fee":
		return func(w *wire, c string) error { v, err := parseInt(c); w.DeliveryFee = v; return err }
	case "min_order":
		return func(w *wire, c string) error { v, err := parseInt(c); w.MinOrder = v; return err }
	case "discount_percent":
		return func(w *wire, c string) error { v, err := parseInt(c); w.DiscountPercent = int(v); return err }
	case "sold_out":
		return func(w *wire, c string) error { v, err := parseBool(c); w.SoldOut = v; return err }
	case "subscriber_only":
		return func(w *wire, c string) error { v, err := parseBool(c); w.SubscriberOnly = v; return err }
	case "aliases":
		return func(w *wire, c string) (err error) { w.Aliases, err = parseAliases(c); return err }
	case "options":
		return func(w *wire, c string) (err error) { w.Options, err = parseOptions(c); return err }
	case "seats":
		return func(w *wire, c string) (err error) { w.Seats, err = parseSeats(c); return err }
	}
	return nil
}

func parseFloat(c string) (float64, error) {
	v, err := strconv.ParseFloat(c, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", c)
	}
	return v, nil
}

// parseInt parses an integer, allowing thousands separators (18,000).
func parseInt(c string) (int64, error) {
	v, err := strconv.ParseInt(strings.ReplaceAll(c, ",", ""), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", c)
	}
	return v, nil
}

func parseBool(c string) (bool, error) {
	switch strings.ToLower(c) {
	case "true", "1", "yes", "y":
		return true, nil
	case "false", "0", "no", "n":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", c)
}

// parseAliases reads a JSON array of strings or names separated by |.
func parseAliases(c string) ([]string, error) {
	if strings.HasPrefix(c, "[") {
		var v []string
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			return nil, fmt.Errorf("not a JSON array of strings: %v", err)
		}
		return v, nil
	}
	parts := strings.Split(c, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, nil
}

// parseOptions reads a JSON array of {"name", "price"} or name:price
// pairs separated by | (순살:2000|뼈:0; a bare name costs 0).
func parseOptions(c string) ([]sodam.MenuOption, error) {
	if strings.HasPrefix(c, "[") {
		var v []sodam.MenuOption
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			return nil, fmt.Errorf("not a JSON array of options: %v", err)
		}
		return v, nil
	}
	var opts []sodam.MenuOption
	for _, p := range strings.Split(c, "|") {
		name, price, hasPrice := strings.Cut(p, ":")
		o := sodam.MenuOption{Name: strings.TrimSpace(name)}
		if hasPrice {
			v, err := parseInt(strings.TrimSpace(price))
			if err != nil {
				return nil, fmt.Errorf("option %s: price %w", o.Name, err)
			}
			o.Price = v
		}
		opts = append(opts, o)
	}
	return opts, nil
}

// parseSeats reads a JSON object {"R": {"price": ..., "available": ...}}
// or grade:price:available triples separated by | (R:143000:300|S:121000:0).
func parseSeats(c string) (map[string]wireSeat, error) {
	if strings.HasPrefix(c, "{") {
		var v map[string]wireSeat
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			return nil, fmt.Errorf("not a JSON object of seat grades: %v", err)
		}
		return v, nil
	}
	seats := make(map[string]wireSeat)
	for _, p := range strings.Split(c, "|") {
		f := strings.Split(p, ":")
		if len(f) != 3 {
			return nil, fmt.Errorf("%q is not grade:price:available", p)
		}
		price, err := parseInt(strings.TrimSpace(f[1]))
		if err != nil {
			return nil, fmt.Errorf("grade %s: price %w", f[0], err)
		}
		avail, err := parseInt(strings.TrimSpace(f[2]))
		if err != nil {
			return nil, fmt.Errorf("grade %s: available %w", f[0], err)
		}
		a := int(avail)
		seats[strings.TrimSpace(f[0])] = wireSeat{Price: &price, Available: &a}
	}
	return seats, nil
}
