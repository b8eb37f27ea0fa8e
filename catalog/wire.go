package catalog

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// wire is the union of the fields of every kind, as a line carries them.
// Required fields are pointers so that a missing field is told apart from
// a zero value (a merchant without "lat" is an error, not a merchant on
// the equator). One wire is decoded per line and then turned into the
// record of its kind, so that a line is parsed once.
type wire struct {
	Kind string  `json:"kind"`
	ID   *string `json:"id"`

	// merchant and menu_item
	Name        *string  `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
	ImageURL    string   `json:"image_url"`

	// merchant and event
	Category *string  `json:"category"`
	Address  string   `json:"address"`
	Lat      *float64 `json:"lat"`
	Lng      *float64 `json:"lng"`

	// merchant
	Brand       string  `json:"brand"`
	Opens       *string `json:"opens"`
	Closes      *string `json:"closes"`
	DeliveryFee int64   `json:"delivery_fee"`
	MinOrder    int64   `json:"min_order"`
	Phone       string  `json:"phone"`

	// menu_item
	MerchantID      *string            `json:"merchant_id"`
	Price           *int64             `json:"price"`
	Options         []sodam.MenuOption `json:"options"`
	DiscountPercent int                `json:"discount_percent"`
	DiscountUntil   *string            `json:"discount_until"`
	SoldOut         bool               `json:"sold_out"`

	// event
	Title          *string `json:"title"`
	Performer      string  `json:"performer"`
	Venue          string  `json:"venue"`
	SubscriberOnly bool    `json:"subscriber_only"`
	ChannelID      string  `json:"channel_id"`
	ChannelName    string  `json:"channel_name"`

	// session
	EventID  *string             `json:"event_id"`
	StartsAt *string             `json:"starts_at"`
	Seats    map[string]wireSeat `json:"seats"`
}

// wireSeat is a seat grade of a session; both fields are required.
type wireSeat struct {
	Price     *int64 `json:"price"`
	Available *int   `json:"available"`
}

func (w *wire) id() string {
	if w.ID == nil {
		return ""
	}
	return *w.ID
}

// record checks w on its own and turns it into the Record of its kind.
// The error, when not nil, names the field at fault; the caller adds the
// line, kind and id.
func (w *wire) record() (Record, error) {
	if w.ID == nil || strings.TrimSpace(*w.ID) == "" {
		return Record{}, errors.New("id is required")
	}
	if strings.TrimSpace(*w.ID) != *w.ID {
		return Record{}, fmt.Errorf("id %q has leading or trailing spaces", *w.ID)
	}
	switch w.Kind {
	case KindMerchant:
		m, err := w.merchant()
		return Record{Kind: w.Kind, Merchant: m}, err
	case KindMenuItem:
		i, err := w.menuItem()
		return Record{Kind: w.Kind, MenuItem: i}, err
	case KindEvent:
		e, err := w.event()
		return Record{Kind: w.Kind, Event: e}, err
	case KindSession:
		s, err := w.session()
		return Record{Kind: w.Kind, Session: s}, err
	}
	return Record{}, fmt.Errorf("unknown kind %q (want merchant, menu_item, event or session)", w.Kind)
}

func (w *wire) merchant() (*sodam.Merchant, error) {
	if err := require(w.Name, "name"); err != nil {
		return nil, err
	}
	if err := require(w.Category, "category"); err != nil {
		return nil, err
	}
	if err := checkLatLng(w.Lat, w.Lng, true); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		v    *string
		name string
	}{{w.Opens, "opens"}, {w.Closes, "closes"}} {
		if f.v == nil {
			return nil, fmt.Errorf("%s is required", f.name)
		}
		if _, err := sodam.ParseClock(*f.v); err != nil {
			return nil, fmt.Errorf("%s: %v", f.name, err)
		}
	}
	switch {
	case w.DeliveryFee < 0:
		return nil, errors.New("delivery_fee must be >= 0")
	case w.MinOrder < 0:
		return nil, errors.New("min_order must be >= 0")
	}
	if err := checkAliases(w.Aliases); err != nil {
		return nil, err
	}
	m := &sodam.Merchant{
		ID: *w.ID, Name: *w.Name, Brand: w.Brand, Aliases: w.Aliases,
		Category: *w.Category, Address: w.Address, Lat: *w.Lat, Lng: *w.Lng,
		Opens: *w.Opens, Closes: *w.Closes, DeliveryFee: w.DeliveryFee,
		MinOrder: w.MinOrder, Description: w.Description, Phone: w.Phone,
		ImageURL: w.ImageURL,
	}
	return m, backstop(m.Validate())
}

func (w *wire) menuItem() (*sodam.MenuItem, error) {
	if err := require(w.MerchantID, "merchant_id"); err != nil {
		return nil, err
	}
	if err := require(w.Name, "name"); err != nil {
		return nil, err
	}
	if w.Price == nil {
		return nil, errors.New("price is required")
	}
	if *w.Price < 0 {
		return nil, errors.New("price must be >= 0")
	}
	if w.DiscountPercent < 0 || w.DiscountPercent > 100 {
		return nil, fmt.Errorf("discount_percent %d must be 0..100", w.DiscountPercent)
	}
	if err := checkAliases(w.Aliases); err != nil {
		return nil, err
	}
	for _, o := range w.Options {
		if strings.TrimSpace(o.Name) == "" {
			return nil, errors.New("options: an option needs a name")
		}
		if o.Price < 0 {
			return nil, fmt.Errorf("options: %s: price must be >= 0", o.Name)
		}
	}
	i := &sodam.MenuItem{
		ID: *w.ID, MerchantID: *w.MerchantID, Name: *w.Name, Aliases: w.Aliases,
		Price: *w.Price, Description: w.Description, Options: w.Options,
		DiscountPercent: w.DiscountPercent, SoldOut: w.SoldOut, ImageURL: w.ImageURL,
	}
	if w.DiscountUntil != nil {
		t, err := parseTime(*w.DiscountUntil, "discount_until")
		if err != nil {
			return nil, err
		}
		i.DiscountUntil = &t
	}
	return i, backstop(i.Validate())
}

func (w *wire) event() (*sodam.Event, error) {
	if err := require(w.Title, "title"); err != nil {
		return nil, err
	}
	if err := require(w.Category, "category"); err != nil {
		return nil, err
	}
	if err := checkLatLng(w.Lat, w.Lng, false); err != nil {
		return nil, err
	}
	if w.SubscriberOnly && w.ChannelID == "" {
		return nil, errors.New("a subscriber_only event needs a channel_id")
	}
	e := &sodam.Event{
		ID: *w.ID, Title: *w.Title, Performer: w.Performer, Category: *w.Category,
		Venue: w.Venue, Address: w.Address, Description: w.Description,
		SubscriberOnly: w.SubscriberOnly, ChannelID: w.ChannelID,
		ChannelName: w.ChannelName, ImageURL: w.ImageURL,
	}
	if w.Lat != nil {
		e.Lat = *w.Lat
	}
	if w.Lng != nil {
		e.Lng = *w.Lng
	}
	return e, backstop(e.Validate())
}

func (w *wire) session() (*sodam.Session, error) {
	if err := require(w.EventID, "event_id"); err != nil {
		return nil, err
	}
	if w.StartsAt == nil {
		return nil, errors.New("starts_at is required")
	}
	t, err := parseTime(*w.StartsAt, "starts_at")
	if err != nil {
		return nil, err
	}
	if len(w.Seats) == 0 {
		return nil, errors.New("seats are required (at least one grade)")
	}
	seats := make(map[string]sodam.Seat, len(w.Seats))
	for g, s := range w.Seats {
		switch {
		case strings.TrimSpace(g) == "":
			return nil, errors.New("seats: a grade needs a name")
		case s.Price == nil:
			return nil, fmt.Errorf("seats: grade %s: price is required", g)
		case s.Available == nil:
			return nil, fmt.Errorf("seats: grade %s: available is required", g)
		case *s.Price < 0:
			return nil, fmt.Errorf("seats: grade %s: price must be >= 0", g)
		case *s.Available < 0:
			return nil, fmt.Errorf("seats: grade %s: available must be >= 0", g)
		}
		seats[g] = sodam.Seat{Price: *s.Price, Available: *s.Available}
	}
	s := &sodam.Session{ID: *w.ID, EventID: *w.EventID, StartsAt: t, Seats: seats}
	return s, backstop(s.Validate())
}

func require(v *string, name string) error {
	if v == nil || strings.TrimSpace(*v) == "" {
		return fmt.Errorf("%s is required", name)
	}
	return nil
}

// checkLatLng checks a coordinate pair; when required both must be given,
// otherwise both or neither.
func checkLatLng(lat, lng *float64, required bool) error {
	if required || lat != nil || lng != nil {
		if lat == nil {
			return errors.New("lat is required")
		}
		if lng == nil {
			return errors.New("lng is required")
		}
	}
	if lat == nil {
		return nil
	}
	if *lat < -90 || *lat > 90 {
		return fmt.Errorf("lat %v out of range -90..90", *lat)
	}
	if *lng < -180 || *lng > 180 {
		return fmt.Errorf("lng %v out of range -180..180", *lng)
	}
	if required && *lat == 0 && *lng == 0 {
		return errors.New("lat and lng are both 0 (not a place a store can be)")
	}
	return nil
}

func checkAliases(aliases []string) error {
	for _, a := range aliases {
		if strings.TrimSpace(a) == "" {
			return errors.New("aliases: an alias is empty")
		}
	}
	return nil
}

// parseTime parses an RFC 3339 time (with an offset, as the contract asks)
// and returns it in Seoul time.
func parseTime(s, field string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not an RFC 3339 time with an offset", field, s)
	}
	return t.In(sodam.Seoul), nil
}

// backstop turns an error of the domain's own Validate, which the checks
// above should already have caught, into a line error cause without the
// "kind id: " prefix the domain message carries.
func backstop(err error) error {
	if err == nil {
		return nil
	}
	var e *sodam.Error
	if errors.As(err, &e) {
		msg := e.Message
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			msg = rest
		}
		return errors.New(msg)
	}
	return err
}
