package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// loadCatalog stores the rich merchant, item, event and session.
func loadCatalog(t *testing.T, s sodam.Store) {
	t.Helper()
	ctx := context.Background()
	must(t, s.UpsertMerchant(ctx, richMerchant()))
	must(t, s.UpsertMenuItem(ctx, richMenuItem()))
	must(t, s.UpsertEvent(ctx, richEvent()))
	must(t, s.UpsertSession(ctx, richSession()))
}

func testCatalog(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("UpsertThenGet", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		m, err := s.Merchant(ctx, "m-001")
		must(t, err)
		same(t, "merchant", richMerchant(), m)
		i, err := s.MenuItem(ctx, "i-001")
		must(t, err)
		same(t, "menu item", richMenuItem(), i)
		e, err := s.Event(ctx, "e-001")
		must(t, err)
		same(t, "event", richEvent(), e)
		ss, err := s.Session(ctx, "s-001")
		must(t, err)
		same(t, "session", richSession(), ss)
	})

	t.Run("UpsertReplaces", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		m := richMerchant()
		m.Name, m.Aliases, m.DeliveryFee = "교동치킨 대학로점", nil, 0
		must(t, s.UpsertMerchant(ctx, m))
		i := richMenuItem()
		i.Price, i.Options, i.DiscountUntil, i.DiscountPercent, i.SoldOut = 19000, nil, nil, 0, true
		must(t, s.UpsertMenuItem(ctx, i))
		e := richEvent()
		e.Title, e.SubscriberOnly, e.ChannelID = "아이유 앙코르", false, ""
		must(t, s.UpsertEvent(ctx, e))
		ss := richSession()
		ss.StartsAt = ss.StartsAt.Add(24 * time.Hour)
		ss.Seats = map[string]sodam.Seat{"전석": {Price: 99000, Available: 5}}
		must(t, s.UpsertSession(ctx, ss))

		gotM, err := s.Merchant(ctx, m.ID)
		must(t, err)
		same(t, "merchant", m, gotM)
		gotI, err := s.MenuItem(ctx, i.ID)
		must(t, err)
		same(t, "menu item", i, gotI)
		gotE, err := s.Event(ctx, e.ID)
		must(t, err)
		same(t, "event", e, gotE)
		gotS, err := s.Session(ctx, ss.ID)
		must(t, err)
		same(t, "session", ss, gotS)
	})

	t.Run("UpsertTwiceChangesNothing", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		loadCatalog(t, s)
		ms, err := s.Merchants(ctx)
		must(t, err)
		same(t, "merchants", []*sodam.Merchant{richMerchant()}, ms)
		is, err := s.MenuItems(ctx, "")
		must(t, err)
		same(t, "menu items", []*sodam.MenuItem{richMenuItem()}, is)
		es, err := s.Events(ctx)
		must(t, err)
		same(t, "events", []*sodam.Event{richEvent()}, es)
		ss, err := s.Sessions(ctx, "e-001")
		must(t, err)
		same(t, "sessions", []*sodam.Session{richSession()}, ss)
	})

	t.Run("UnknownParentIsNotFound", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		wantCode(t, "menu item of unknown merchant",
			s.UpsertMenuItem(ctx, menuItem("i-x", "m-none", "양념치킨", 19000)), sodam.ENOTFOUND)
		wantCode(t, "session of unknown event",
			s.UpsertSession(ctx, session("s-x", "e-none", at(60), map[string]sodam.Seat{"R": {Price: 1000, Available: 1}})), sodam.ENOTFOUND)
		if _, err := s.MenuItem(ctx, "i-x"); sodam.ErrorCode(err) != sodam.ENOTFOUND {
			t.Errorf("menu item of unknown merchant was stored: %v", err)
		}
		if _, err := s.Session(ctx, "s-x"); sodam.ErrorCode(err) != sodam.ENOTFOUND {
			t.Errorf("session of unknown event was stored: %v", err)
		}
	})

	t.Run("InvalidIsInvalid", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		noName := richMerchant()
		noName.Name = ""
		badHours := richMerchant()
		badHours.Opens = "25:00"
		negPrice := richMenuItem()
		negPrice.Price = -1
		noTitle := richEvent()
		noTitle.Title = ""
		noSeats := richSession()
		noSeats.Seats = nil
		cases := []struct {
			name string
			err  error
		}{
			{"merchant without name", s.UpsertMerchant(ctx, noName)},
			{"merchant with bad hours", s.UpsertMerchant(ctx, badHours)},
			{"menu item with negative price", s.UpsertMenuItem(ctx, negPrice)},
			{"event without title", s.UpsertEvent(ctx, noTitle)},
			{"session without seats", s.UpsertSession(ctx, noSeats)},
		}
		for _, tc := range cases {
			wantCode(t, tc.name, tc.err, sodam.EINVALID)
		}
		m, err := s.Merchant(ctx, "m-001")
		must(t, err)
		same(t, "merchant after invalid upserts", richMerchant(), m)
	})

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := parallel(t, newStore)
		loadCatalog(t, s)
		cases := []struct {
			name string
			get  func() error
		}{
			{"Merchant", func() error { _, err := s.Merchant(ctx, "m-none"); return err }},
			{"MenuItem", func() error { _, err := s.MenuItem(ctx, "i-none"); return err }},
			{"Event", func() error { _, err := s.Event(ctx, "e-none"); return err }},
			{"Session", func() error { _, err := s.Session(ctx, "s-none"); return err }},
		}
		for _, tc := range cases {
			err := tc.get()
			wantCode(t, tc.name, err, sodam.ENOTFOUND)
			if err != nil && sodam.ErrorMessage(err) == "" {
				t.Errorf("%s: no message for the user", tc.name)
			}
		}
	})

	t.Run("ListsOrderedByID", func(t *testing.T) {
		s := parallel(t, newStore)
		for _, id := range []string{"m-003", "m-001", "m-002"} {
			must(t, s.UpsertMerchant(ctx, merchant(id, "가게 "+id, "치킨", 37.58, 127.0)))
		}
		for _, it := range []struct{ id, merchant string }{
			{"i-005", "m-002"}, {"i-002", "m-001"}, {"i-004", "m-002"}, {"i-001", "m-001"}, {"i-003", "m-003"},
		} {
			must(t, s.UpsertMenuItem(ctx, menuItem(it.id, it.merchant, "메뉴 "+it.id, 10000)))
		}
		for _, id := range []string{"e-002", "e-003", "e-001"} {
			must(t, s.UpsertEvent(ctx, event(id, "공연 "+id, "연극")))
		}

		ms, err := s.Merchants(ctx)
		must(t, err)
		same(t, "merchant ids", []string{"m-001", "m-002", "m-003"}, ids(ms, func(m *sodam.Merchant) string { return m.ID }))
		es, err := s.Events(ctx)
		must(t, err)
		same(t, "event ids", []string{"e-001", "e-002", "e-003"}, ids(es, func(e *sodam.Event) string { return e.ID }))

		itemCases := []struct {
			merchant string
			want     []string
		}{
			{"", []string{"i-001", "i-002", "i-003", "i-004", "i-005"}},
			{"m-001", []string{"i-001", "i-002"}},
			{"m-002", []string{"i-004", "i-005"}},
			{"m-003", []string{"i-003"}},
			{"m-none", nil},
		}
		for _, tc := range itemCases {
			is, err := s.MenuItems(ctx, tc.merchant)
			if err != nil {
				t.Errorf("MenuItems(%q): %v", tc.merchant, err)
				continue
			}
			same(t, "MenuItems("+tc.merchant+")", tc.want, ids(is, func(i *sodam.MenuItem) string { return i.ID }))
		}
	})

	t.Run("MenuItemMovesMerchant", func(t *testing.T) {
		s := parallel(t, newStore)
		must(t, s.UpsertMerchant(ctx, merchant("m-001", "가", "치킨", 37.58, 127.0)))
		must(t, s.UpsertMerchant(ctx, merchant("m-002", "나", "치킨", 37.58, 127.0)))
		must(t, s.UpsertMenuItem(ctx, menuItem("i-001", "m-001", "후라이드", 18000)))
		must(t, s.UpsertMenuItem(ctx, menuItem("i-001", "m-002", "후라이드", 18000)))
		for _, tc := range []struct {
			merchant string
			want     []string
		}{{"m-001", nil}, {"m-002", []string{"i-001"}}} {
			is, err := s.MenuItems(ctx, tc.merchant)
			must(t, err)
			same(t, "MenuItems("+tc.merchant+")", tc.want, ids(is, func(i *sodam.MenuItem) string { return i.ID }))
		}
	})

	t.Run("SessionsByStartThenID", func(t *testing.T) {
		s := parallel(t, newStore)
		must(t, s.UpsertEvent(ctx, event("e-001", "햄릿", "연극")))
		must(t, s.UpsertEvent(ctx, event("e-002", "맥베스", "연극")))
		seats := map[string]sodam.Seat{"전석": {Price: 50000, Available: 10}}
		for _, ss := range []*sodam.Session{
			session("s-004", "e-001", at(120), seats),
			session("s-003", "e-001", at(60), seats),
			session("s-001", "e-001", at(120), seats),
			session("s-002", "e-002", at(0), seats),
			session("s-005", "e-001", at(-60), seats),
		} {
			must(t, s.UpsertSession(ctx, ss))
		}
		for _, tc := range []struct {
			event string
			want  []string
		}{
			{"e-001", []string{"s-005", "s-003", "s-001", "s-004"}},
			{"e-002", []string{"s-002"}},
			{"e-none", nil},
		} {
			ss, err := s.Sessions(ctx, tc.event)
			if err != nil {
				t.Errorf("Sessions(%q): %v", tc.event, err)
				continue
			}
			same(t, "Sessions("+tc.event+")", tc.want, ids(ss, func(s *sodam.Session) string { return s.ID }))
		}
	})

	t.Run("CopiesNotAliases", func(t *testing.T) {
		s := parallel(t, newStore)
		m, i, e, ss := richMerchant(), richMenuItem(), richEvent(), richSession()
		must(t, s.UpsertMerchant(ctx, m))
		must(t, s.UpsertMenuItem(ctx, i))
		must(t, s.UpsertEvent(ctx, e))
		must(t, s.UpsertSession(ctx, ss))
		// Change what was passed in.
		m.Aliases[0], m.Name = "바뀜", "바뀜"
		i.Aliases[0], i.Options[0].Price, *i.DiscountUntil = "바뀜", 1, base
		e.Title = "바뀜"
		ss.Seats["R"] = sodam.Seat{Price: 1, Available: 1}
		// Change what came out.
		gotM, err := s.Merchant(ctx, "m-001")
		must(t, err)
		gotM.Aliases[0] = "바뀜"
		gotI, err := s.MenuItem(ctx, "i-001")
		must(t, err)
		gotI.Aliases[0], gotI.Options[0].Price, *gotI.DiscountUntil = "바뀜", 1, base
		gotS, err := s.Session(ctx, "s-001")
		must(t, err)
		gotS.Seats["R"] = sodam.Seat{Price: 1, Available: 1}
		lists, err := s.MenuItems(ctx, "m-001")
		must(t, err)
		lists[0].Options[1].Name = "바뀜"
		sessions, err := s.Sessions(ctx, "e-001")
		must(t, err)
		sessions[0].Seats["VIP"] = sodam.Seat{}

		gotM, err = s.Merchant(ctx, "m-001")
		must(t, err)
		same(t, "merchant", richMerchant(), gotM)
		gotI, err = s.MenuItem(ctx, "i-001")
		must(t, err)
		same(t, "menu item", richMenuItem(), gotI)
		gotE, err := s.Event(ctx, "e-001")
		must(t, err)
		same(t, "event", richEvent(), gotE)
		gotS, err = s.Session(ctx, "s-001")
		must(t, err)
		same(t, "session", richSession(), gotS)
	})
}

// ids maps records to their ids.
func ids[T any](recs []T, id func(T) string) []string {
	var out []string
	for _, r := range recs {
		out = append(out, id(r))
	}
	return out
}
