package merchant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// MenuEdit changes a menu item of the store, or adds one when ID is empty
// (or names no item yet). Fields left nil keep their value; a new item
// needs Name and Price.
type MenuEdit struct {
	ID              string   `json:"id,omitempty"`
	Name            *string  `json:"name,omitempty"`
	Price           *int64   `json:"price,omitempty"`
	Description     *string  `json:"description,omitempty"`
	Aliases         []string `json:"aliases,omitempty"`
	SoldOut         *bool    `json:"sold_out,omitempty"`
	DiscountPercent *int     `json:"discount_percent,omitempty"`
	// DiscountUntil ends the discount; a discount needs one in the
	// future.
	DiscountUntil *time.Time `json:"discount_until,omitempty"`
}

// Menu lists the store's menu items by id.
func (s *Service) Menu(ctx context.Context, acct *sodam.MerchantAccount) ([]*sodam.MenuItem, error) {
	const op = "merchant.Menu"
	if err := needStore(op, acct); err != nil {
		return nil, err
	}
	items, err := s.store.MenuItems(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if items == nil {
		items = []*sodam.MenuItem{}
	}
	return items, nil
}

// EditMenu applies an edit to the store's menu and stores the item
// through the catalog, which re-indexes it for search at once; then the
// assistant reloads its names. A negative price, a discount outside 0 to
// 100 or without a future end is EINVALID; another store's item is
// ENOTFOUND. Nothing changes on error.
func (s *Service) EditMenu(ctx context.Context, acct *sodam.MerchantAccount, e MenuEdit) (*sodam.MenuItem, error) {
	const op = "merchant.EditMenu"
	if err := needStore(op, acct); err != nil {
		return nil, err
	}
	var it *sodam.MenuItem
	if e.ID != "" {
		got, err := s.store.MenuItem(ctx, e.ID)
		switch {
		case err == nil && got.MerchantID != acct.ChannelID:
			return nil, fail(sodam.ENOTFOUND, op, "메뉴를 찾을 수 없어요.")
		case err == nil:
			it = got
		case !sodam.IsCode(err, sodam.ENOTFOUND):
			return nil, sodam.WrapError(op, err)
		}
	}
	if it == nil {
		if e.Name == nil || e.Price == nil {
			return nil, fail(sodam.EINVALID, op, "새 메뉴에는 이름과 가격이 필요해요.")
		}
		id := e.ID
		if id == "" {
			var b [4]byte
			rand.Read(b[:])
			id = acct.ChannelID + "-i-" + hex.EncodeToString(b[:])
		}
		it = &sodam.MenuItem{ID: id, MerchantID: acct.ChannelID}
	}
	if e.Name != nil {
		it.Name = strings.TrimSpace(*e.Name)
	}
	if e.Price != nil {
		it.Price = *e.Price
	}
	if e.Description != nil {
		it.Description = strings.TrimSpace(*e.Description)
	}
	if e.Aliases != nil {
		it.Aliases = slices.Clone(e.Aliases)
	}
	if e.SoldOut != nil {
		it.SoldOut = *e.SoldOut
	}
	if e.DiscountPercent != nil {
		it.DiscountPercent = *e.DiscountPercent
		if *e.DiscountPercent == 0 {
			it.DiscountUntil = nil
		}
	}
	if e.DiscountUntil != nil {
		t := e.DiscountUntil.In(sodam.Seoul)
		it.DiscountUntil = &t
	}
	if it.Price < 0 {
		return nil, fail(sodam.EINVALID, op, "가격은 0원 이상이어야 해요.")
	}
	if it.DiscountPercent < 0 || it.DiscountPercent > 100 {
		return nil, fail(sodam.EINVALID, op, "할인율은 0%에서 100% 사이로 정해 주세요.")
	}
	if e.DiscountPercent != nil && *e.DiscountPercent > 0 && (it.DiscountUntil == nil || !it.DiscountUntil.After(s.now())) {
		return nil, fail(sodam.EINVALID, op, "할인이 끝나는 시각을 지금 이후로 정해 주세요.")
	}
	if err := it.Validate(); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if err := s.store.UpsertMenuItem(ctx, it); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	s.changed()
	return it, nil
}

// EventView is one of the channel's events with its sessions.
type EventView struct {
	Event    *sodam.Event     `json:"event"`
	Sessions []*sodam.Session `json:"sessions"` // with the seats left per grade
}

// Events lists the events of an event channel with each session's seats
// left per grade.
func (s *Service) Events(ctx context.Context, acct *sodam.MerchantAccount) ([]*EventView, error) {
	const op = "merchant.Events"
	es, err := s.store.Events(ctx)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	out := []*EventView{}
	for _, e := range es {
		if e.ChannelID != acct.ChannelID {
			continue
		}
		ss, err := s.store.Sessions(ctx, e.ID)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		if ss == nil {
			ss = []*sodam.Session{}
		}
		out = append(out, &EventView{Event: e, Sessions: ss})
	}
	return out, nil
}

// Bookings lists the bookings of one of the channel's events, newest
// first; another channel's event is ENOTFOUND.
func (s *Service) Bookings(ctx context.Context, acct *sodam.MerchantAccount, eventID string) ([]*sodam.Booking, error) {
	const op = "merchant.Bookings"
	e, err := s.store.Event(ctx, eventID)
	if err != nil {
		return nil, notFound(op, err, "공연을 찾을 수 없어요.")
	}
	if e.ChannelID != acct.ChannelID {
		return nil, fail(sodam.ENOTFOUND, op, "공연을 찾을 수 없어요.")
	}
	bs, err := s.recs.BookingsByEvent(ctx, eventID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	slices.Reverse(bs)
	if bs == nil {
		bs = []*sodam.Booking{}
	}
	return bs, nil
}
