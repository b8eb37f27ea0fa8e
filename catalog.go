package sodam

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Categories of merchants and events, as the NLU labels them.
var (
	FoodCategories  = []string{"치킨", "피자", "햄버거", "족발", "중식", "한식", "분식", "카페"}
	EventCategories = []string{"콘서트", "연극", "뮤지컬", "팬미팅"}
)

// Merchant is a store that sells through Sodam. Every merchant is also a
// channel users can add; its channel id is its id.
type Merchant struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Brand       string   `json:"brand,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Category    string   `json:"category"`
	Address     string   `json:"address,omitempty"`
	Lat         float64  `json:"lat"`
	Lng         float64  `json:"lng"`
	Opens       string   `json:"opens"`  // "HH:MM"
	Closes      string   `json:"closes"` // "HH:MM"; "24:00" is midnight; at or before Opens runs past midnight
	DeliveryFee int64    `json:"delivery_fee"`
	MinOrder    int64    `json:"min_order"`
	Description string   `json:"description,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	ImageURL    string   `json:"image_url,omitempty"`
}

// Validate checks the required fields and ranges of m.
func (m *Merchant) Validate() error {
	switch {
	case m.ID == "":
		return Errorf(EINVALID, "merchant: id is required")
	case m.Name == "":
		return Errorf(EINVALID, "merchant %s: name is required", m.ID)
	case m.Category == "":
		return Errorf(EINVALID, "merchant %s: category is required", m.ID)
	case m.Lat < -90 || m.Lat > 90 || m.Lat == 0:
		return Errorf(EINVALID, "merchant %s: lat %v out of range", m.ID, m.Lat)
	case m.Lng < -180 || m.Lng > 180 || m.Lng == 0:
		return Errorf(EINVALID, "merchant %s: lng %v out of range", m.ID, m.Lng)
	case m.DeliveryFee < 0:
		return Errorf(EINVALID, "merchant %s: delivery_fee must be >= 0", m.ID)
	case m.MinOrder < 0:
		return Errorf(EINVALID, "merchant %s: min_order must be >= 0", m.ID)
	}
	if _, err := ParseClock(m.Opens); err != nil {
		return Errorf(EINVALID, "merchant %s: opens: %v", m.ID, err)
	}
	if _, err := ParseClock(m.Closes); err != nil {
		return Errorf(EINVALID, "merchant %s: closes: %v", m.ID, err)
	}
	return nil
}

// ParseClock parses "HH:MM" (00:00 to 24:00) into minutes after midnight.
func ParseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) == 0 || len(h) > 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return hh*60 + mm, nil
}

// OpenAt reports whether m takes orders at t (opens <= t < closes, in
// Seoul time, wrapping past midnight when closes is at or before opens).
func (m *Merchant) OpenAt(t time.Time) bool {
	o, err1 := ParseClock(m.Opens)
	c, err2 := ParseClock(m.Closes)
	if err1 != nil || err2 != nil {
		return false
	}
	t = t.In(Seoul)
	now := t.Hour()*60 + t.Minute()
	if o == c || (o == 0 && c == 24*60) {
		return true // open around the clock
	}
	if c > o {
		return now >= o && now < c
	}
	return now >= o || now < c
}

// MenuOption is a priced choice on a menu item (순살, 라지, 치즈 추가).
type MenuOption struct {
	Name  string `json:"name"`
	Price int64  `json:"price"`
}

// MenuItem is one thing a merchant sells.
type MenuItem struct {
	ID              string       `json:"id"`
	MerchantID      string       `json:"merchant_id"`
	Name            string       `json:"name"`
	Aliases         []string     `json:"aliases,omitempty"`
	Price           int64        `json:"price"`
	Description     string       `json:"description,omitempty"`
	Options         []MenuOption `json:"options,omitempty"`
	DiscountPercent int          `json:"discount_percent,omitempty"`
	DiscountUntil   *time.Time   `json:"discount_until,omitempty"`
	SoldOut         bool         `json:"sold_out,omitempty"`
	ImageURL        string       `json:"image_url,omitempty"`
}

// Validate checks the required fields and ranges of i.
func (i *MenuItem) Validate() error {
	switch {
	case i.ID == "":
		return Errorf(EINVALID, "menu_item: id is required")
	case i.MerchantID == "":
		return Errorf(EINVALID, "menu_item %s: merchant_id is required", i.ID)
	case i.Name == "":
		return Errorf(EINVALID, "menu_item %s: name is required", i.ID)
	case i.Price < 0:
		return Errorf(EINVALID, "menu_item %s: price must be >= 0", i.ID)
	case i.DiscountPercent < 0 || i.DiscountPercent > 100:
		return Errorf(EINVALID, "menu_item %s: discount_percent must be 0..100", i.ID)
	}
	for _, o := range i.Options {
		if o.Name == "" {
			return Errorf(EINVALID, "menu_item %s: option without a name", i.ID)
		}
		if o.Price < 0 {
			return Errorf(EINVALID, "menu_item %s: option %s: price must be >= 0", i.ID, o.Name)
		}
	}
	return nil
}

// DiscountActive reports whether i's discount is in force at t.
func (i *MenuItem) DiscountActive(t time.Time) bool {
	return i.DiscountPercent > 0 && i.DiscountUntil != nil && i.DiscountUntil.After(t)
}

// BasePriceAt is i's price at t before options: the base price less its
// discount while in force, rounded down to a multiple of 10 won.
func (i *MenuItem) BasePriceAt(t time.Time) int64 {
	if !i.DiscountActive(t) {
		return i.Price
	}
	p := i.Price * int64(100-i.DiscountPercent) / 100
	return p - p%10
}

// Option returns the option of i named name (exact, or ignoring spaces and
// case).
func (i *MenuItem) Option(name string) (MenuOption, bool) {
	key := foldKey(name)
	for _, o := range i.Options {
		if o.Name == name || foldKey(o.Name) == key {
			return o, true
		}
	}
	return MenuOption{}, false
}

// UnitPrice is the price of one i with the given options at t: the
// discounted base price plus the undiscounted option prices. An option i
// does not offer is an EINVALID error.
func (i *MenuItem) UnitPrice(t time.Time, options []string) (int64, error) {
	p := i.BasePriceAt(t)
	for _, name := range options {
		o, ok := i.Option(name)
		if !ok {
			return 0, Errorf(EINVALID, "%s에는 '%s' 옵션이 없어요.", i.Name, name)
		}
		p += o.Price
	}
	return p, nil
}

func foldKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// Event is a concert, play, musical or fan meeting.
type Event struct {
	ID             string  `json:"id"`
	Title          string  `json:"title"`
	Performer      string  `json:"performer,omitempty"`
	Category       string  `json:"category"`
	Venue          string  `json:"venue,omitempty"`
	Address        string  `json:"address,omitempty"`
	Description    string  `json:"description,omitempty"`
	SubscriberOnly bool    `json:"subscriber_only"`
	ChannelID      string  `json:"channel_id,omitempty"`
	ChannelName    string  `json:"channel_name,omitempty"`
	ImageURL       string  `json:"image_url,omitempty"`
	Lat            float64 `json:"lat,omitempty"`
	Lng            float64 `json:"lng,omitempty"`
}

// Validate checks the required fields of e.
func (e *Event) Validate() error {
	switch {
	case e.ID == "":
		return Errorf(EINVALID, "event: id is required")
	case e.Title == "":
		return Errorf(EINVALID, "event %s: title is required", e.ID)
	case e.Category == "":
		return Errorf(EINVALID, "event %s: category is required", e.ID)
	case e.SubscriberOnly && e.ChannelID == "":
		return Errorf(EINVALID, "event %s: a subscriber_only event needs a channel_id", e.ID)
	case e.Lat < -90 || e.Lat > 90 || e.Lng < -180 || e.Lng > 180:
		return Errorf(EINVALID, "event %s: lat/lng out of range", e.ID)
	}
	return nil
}

// Seat is the price and the seats left of one grade of a session.
type Seat struct {
	Price     int64 `json:"price"`
	Available int   `json:"available"`
}

// Session is one performance of an event, with its seat inventory by grade
// (VIP, R, S, A, B, 스탠딩, 전석).
type Session struct {
	ID       string          `json:"id"`
	EventID  string          `json:"event_id"`
	StartsAt time.Time       `json:"starts_at"`
	Seats    map[string]Seat `json:"seats"`
}

// Validate checks the required fields and ranges of s.
func (s *Session) Validate() error {
	switch {
	case s.ID == "":
		return Errorf(EINVALID, "session: id is required")
	case s.EventID == "":
		return Errorf(EINVALID, "session %s: event_id is required", s.ID)
	case s.StartsAt.IsZero():
		return Errorf(EINVALID, "session %s: starts_at is required", s.ID)
	case len(s.Seats) == 0:
		return Errorf(EINVALID, "session %s: seats are required", s.ID)
	}
	for g, seat := range s.Seats {
		if g == "" {
			return Errorf(EINVALID, "session %s: a seat grade without a name", s.ID)
		}
		if seat.Price < 0 {
			return Errorf(EINVALID, "session %s: grade %s: price must be >= 0", s.ID, g)
		}
		if seat.Available < 0 {
			return Errorf(EINVALID, "session %s: grade %s: available must be >= 0", s.ID, g)
		}
	}
	return nil
}

// Grade returns the seat grade of s that matches name, ignoring a trailing
// 석, spaces and case (R석 = r = R).
func (s *Session) Grade(name string) (string, Seat, bool) {
	key := NormalizeGrade(name)
	for g, seat := range s.Seats {
		if NormalizeGrade(g) == key {
			return g, seat, true
		}
	}
	return "", Seat{}, false
}

// NormalizeGrade folds a seat grade name: "r석" -> "R", "vip" -> "VIP".
func NormalizeGrade(g string) string {
	g = strings.ToUpper(strings.Join(strings.Fields(g), ""))
	if g != "석" {
		g = strings.TrimSuffix(g, "석")
	}
	return g
}
