package kakao

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Validate reports every way r breaks the skill response format or its
// limits; nil means Kakao will show it as it is. Render's output always
// validates; tests and the callback path check it.
func (r *SkillResponse) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if r.Version != Version {
		bad("version is %q, want %q", r.Version, Version)
	}
	if r.UseCallback {
		if r.Template != nil {
			bad("a callback acknowledgement carries no template")
		}
		return errors.Join(errs...)
	}
	if r.Template == nil {
		bad("no template")
		return errors.Join(errs...)
	}
	t := r.Template
	if n := len(t.Outputs); n == 0 || n > MaxOutputs {
		bad("%d outputs, want 1 to %d", n, MaxOutputs)
	}
	if n := len(t.QuickReplies); n > MaxQuickReplies {
		bad("%d quick replies, want at most %d", n, MaxQuickReplies)
	}
	for i, q := range t.QuickReplies {
		checkLabel(bad, fmt.Sprintf("quick reply %d", i), q.Label)
		if q.Action != "message" || q.MessageText == "" {
			bad("quick reply %d: action %q with message %q", i, q.Action, q.MessageText)
		}
	}
	for i, o := range t.Outputs {
		validateOutput(bad, fmt.Sprintf("output %d", i), o)
	}
	return errors.Join(errs...)
}

type reporter func(format string, args ...any)

func validateOutput(bad reporter, at string, o Output) {
	set := 0
	for _, p := range []bool{o.SimpleText != nil, o.TextCard != nil, o.BasicCard != nil, o.CommerceCard != nil, o.ListCard != nil, o.Carousel != nil} {
		if p {
			set++
		}
	}
	if set != 1 {
		bad("%s: %d kinds set, want 1", at, set)
	}
	switch {
	case o.SimpleText != nil:
		if n := utf8.RuneCountInString(o.SimpleText.Text); n == 0 || n > MaxSimpleText {
			bad("%s: simpleText of %d runes, want 1 to %d", at, n, MaxSimpleText)
		}
	case o.Carousel != nil:
		c := o.Carousel
		if n := len(c.Items); n == 0 || n > MaxCarouselItems {
			bad("%s: carousel of %d items, want 1 to %d", at, n, MaxCarouselItems)
		}
		for i, it := range c.Items {
			validateCard(bad, fmt.Sprintf("%s item %d", at, i), c.Type, it)
		}
	default:
		for typ, card := range map[string]any{TypeTextCard: o.TextCard, TypeBasicCard: o.BasicCard, TypeCommerceCard: o.CommerceCard, TypeListCard: o.ListCard} {
			if !isNil(card) {
				validateCard(bad, at, typ, card)
			}
		}
	}
}

func isNil(card any) bool {
	switch c := card.(type) {
	case *TextCard:
		return c == nil
	case *BasicCard:
		return c == nil
	case *CommerceCard:
		return c == nil
	case *ListCard:
		return c == nil
	}
	return card == nil
}

// validateCard checks one card that should be of type typ.
func validateCard(bad reporter, at, typ string, card any) {
	switch c := card.(type) {
	case *TextCard:
		if typ != TypeTextCard {
			bad("%s: a textCard in a %s carousel", at, typ)
		}
		if c.Title == "" && c.Description == "" {
			bad("%s: textCard without title or description", at)
		}
		checkText(bad, at, c.Title, c.Description)
		checkButtons(bad, at, c.Buttons, 0, MaxCardButtons)
	case *BasicCard:
		if typ != TypeBasicCard {
			bad("%s: a basicCard in a %s carousel", at, typ)
		}
		if c.Thumbnail == nil || c.Thumbnail.ImageURL == "" {
			bad("%s: basicCard without a thumbnail", at)
		}
		checkText(bad, at, c.Title, c.Description)
		checkButtons(bad, at, c.Buttons, 0, MaxCardButtons)
	case *CommerceCard:
		if typ != TypeCommerceCard {
			bad("%s: a commerceCard in a %s carousel", at, typ)
		}
		if c.Currency != Currency || c.Price <= 0 || len(c.Thumbnails) != 1 || c.Description == "" {
			bad("%s: commerceCard needs a price in won, a description and one thumbnail", at)
		}
		if c.DiscountRate > 0 && c.Discount > 0 {
			bad("%s: commerceCard with both discount and discountRate", at)
		}
		if (c.DiscountRate > 0 || c.Discount > 0) && (c.DiscountedPrice <= 0 || c.DiscountedPrice >= c.Price) {
			bad("%s: commerceCard discounted price %d for price %d", at, c.DiscountedPrice, c.Price)
		}
		checkText(bad, at, c.Title, c.Description)
		checkButtons(bad, at, c.Buttons, 1, MaxCardButtons)
	case *ListCard:
		if typ != TypeListCard {
			bad("%s: a listCard in a %s carousel", at, typ)
		}
		if c.Header.Title == "" {
			bad("%s: listCard without a header title", at)
		}
		if n := len(c.Items); n == 0 || n > MaxListItems {
			bad("%s: listCard of %d rows, want 1 to %d", at, n, MaxListItems)
		}
		checkText(bad, at, c.Header.Title, "")
		for i, it := range c.Items {
			checkText(bad, fmt.Sprintf("%s row %d", at, i), it.Title, it.Description)
		}
		checkButtons(bad, at, c.Buttons, 0, MaxListButtons)
	default:
		bad("%s: unknown card %T", at, card)
	}
}

func checkText(bad reporter, at, title, desc string) {
	if n := utf8.RuneCountInString(title); n > MaxTitle {
		bad("%s: title of %d runes, want at most %d", at, n, MaxTitle)
	}
	if n := utf8.RuneCountInString(desc); n > MaxDescription {
		bad("%s: description of %d runes, want at most %d", at, n, MaxDescription)
	}
}

func checkButtons(bad reporter, at string, bs []Button, least, most int) {
	if n := len(bs); n < least || n > most {
		bad("%s: %d buttons, want %d to %d", at, n, least, most)
	}
	for i, b := range bs {
		where := fmt.Sprintf("%s button %d", at, i)
		checkLabel(bad, where, b.Label)
		switch {
		case b.Action == "message" && b.MessageText != "",
			b.Action == "webLink" && b.WebLinkURL != "",
			b.Action == "phone" && b.PhoneNumber != "":
		default:
			bad("%s: action %q without its target", where, b.Action)
		}
	}
}

func checkLabel(bad reporter, at, label string) {
	if n := utf8.RuneCountInString(label); n == 0 || n > MaxLabel {
		bad("%s: label of %d runes, want 1 to %d", at, n, MaxLabel)
	}
}
