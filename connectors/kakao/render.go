package kakao

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// Limits of the skill response format. Kakao drops or cuts a response that
// breaks them without telling the user, so Render enforces every one of
// them and Validate checks them.
const (
	MaxOutputs       = 3    // speech bubbles per response
	MaxQuickReplies  = 10   // quick replies per response
	MaxCarouselItems = 10   // cards per carousel
	MaxSimpleText    = 1000 // runes of a simpleText
	MaxTitle         = 50   // runes of a card or list title
	MaxDescription   = 230  // runes of a card or list row description
	MaxLabel         = 14   // runes of a button or quick reply label
	MaxCardButtons   = 3    // buttons per card
	MaxListItems     = 5    // rows per list card
	MaxListButtons   = 2    // buttons per list card
)

// Currency is the currency of commerce cards.
const Currency = "won"

// Carousel types.
const (
	TypeTextCard     = "textCard"
	TypeBasicCard    = "basicCard"
	TypeCommerceCard = "commerceCard"
	TypeListCard     = "listCard"
)

const (
	ellipsis           = "…"
	paymentButtonLabel = "결제하기"
	emptyResponseText  = "무엇을 도와드릴까요?"
)

// Render maps an assistant response to a skill response within the limits
// above:
//
//   - Text becomes a simpleText, cut at 1000 runes with "…".
//   - A payment link becomes a textCard with a webLink button "결제하기".
//   - Cards become one card, or a carousel of at most 10 when there are
//     several, all of one type: commerceCard for menu items with prices and
//     pictures (price, discountRate, discountedPrice, currency "won"),
//     basicCard for other cards with pictures, textCard when a card has no
//     picture (Kakao's commerce and basic cards need a thumbnail). Titles
//     are cut to 50 runes, descriptions to 230, buttons to 3 a card and
//     labels to 14 runes.
//   - A list becomes a listCard of at most 5 rows and 2 buttons; a longer
//     list is split into a carousel of list cards.
//   - Quick replies are kept up to 10, labels cut to 14 runes.
//
// Outputs keep that order and stop at 3; a response with nothing to show
// gets a short prompt so that the answer is never empty.
func Render(r *sodam.Response) *SkillResponse {
	if r == nil {
		r = &sodam.Response{}
	}
	var outs []Output
	if t := strings.TrimSpace(r.Text); t != "" {
		outs = append(outs, Output{SimpleText: &SimpleText{Text: cut(t, MaxSimpleText)}})
	}
	if r.Payment != nil && r.Payment.URL != "" {
		outs = append(outs, Output{TextCard: paymentCard(r.Payment)})
	}
	outs = append(outs, renderCards(r.Cards)...)
	if r.List != nil && len(r.List.Items) > 0 {
		outs = append(outs, renderList(r.List))
	}
	if len(outs) > MaxOutputs {
		outs = outs[:MaxOutputs]
	}
	if len(outs) == 0 {
		outs = append(outs, Output{SimpleText: &SimpleText{Text: emptyResponseText}})
	}
	return &SkillResponse{Version: Version, Template: &SkillTemplate{Outputs: outs, QuickReplies: renderQuickReplies(r.QuickReplies)}}
}

// TextResponse is a skill response of one simpleText.
func TextResponse(text string) *SkillResponse {
	return Render(&sodam.Response{Text: text})
}

func paymentCard(p *sodam.PaymentLink) *TextCard {
	desc := p.Label
	if desc == "" {
		desc = "아래 버튼을 눌러 결제를 완료해 주세요."
	}
	return &TextCard{
		Title:       cut(fmt.Sprintf("결제 금액 %s", won(p.Amount)), MaxTitle),
		Description: cut(desc, MaxDescription),
		Buttons:     []Button{{Label: paymentButtonLabel, Action: string(sodam.ActionWebLink), WebLinkURL: p.URL}},
	}
}

// renderCards turns cards into one output: one card alone, several as a
// carousel of at most 10. A carousel holds cards of one type, so the type
// is chosen for all the cards: commerceCard when every card is a menu item
// with a price and a picture, basicCard when every card has a picture,
// textCard otherwise.
func renderCards(cards []sodam.Card) []Output {
	if len(cards) == 0 {
		return nil
	}
	if len(cards) > MaxCarouselItems {
		cards = cards[:MaxCarouselItems]
	}
	typ := TypeCommerceCard
	for _, c := range cards {
		switch {
		case c.ImageURL == "":
			typ = TypeTextCard
		case typ == TypeCommerceCard && (c.Kind != sodam.CardMenuItem || c.Price <= 0):
			typ = TypeBasicCard
		}
	}
	items := make([]any, 0, len(cards))
	for _, c := range cards {
		items = append(items, renderCard(typ, c))
	}
	if len(items) > 1 {
		return []Output{{Carousel: &Carousel{Type: typ, Items: items}}}
	}
	switch it := items[0].(type) {
	case *CommerceCard:
		return []Output{{CommerceCard: it}}
	case *BasicCard:
		return []Output{{BasicCard: it}}
	default:
		return []Output{{TextCard: it.(*TextCard)}}
	}
}

// renderCard renders c as a card of type typ.
func renderCard(typ string, c sodam.Card) any {
	title := cut(c.Title, MaxTitle)
	desc := cut(c.Description, MaxDescription)
	buttons := renderButtons(c.Buttons, MaxCardButtons)
	switch typ {
	case TypeCommerceCard:
		cc := &CommerceCard{Title: title, Description: desc, Price: c.Price, Currency: Currency,
			Thumbnails: []Thumbnail{{ImageURL: c.ImageURL}}, Buttons: buttons}
		if c.BasePrice > c.Price {
			cc.Price, cc.DiscountedPrice = c.BasePrice, c.Price
			if c.DiscountPct > 0 {
				cc.DiscountRate = c.DiscountPct
			} else {
				cc.Discount = c.BasePrice - c.Price
			}
		}
		if cc.Description == "" {
			cc.Description = title
		}
		if len(cc.Buttons) == 0 {
			// A commerce card needs at least one button.
			cc.Buttons = []Button{{Label: cut(c.Title, MaxLabel), Action: string(sodam.ActionMessage), MessageText: c.Title}}
		}
		return cc
	case TypeBasicCard:
		if c.Price > 0 {
			desc = cut(joinNonEmpty(" · ", priceText(c), c.Description), MaxDescription)
		}
		return &BasicCard{Title: title, Description: desc, Thumbnail: &Thumbnail{ImageURL: c.ImageURL}, Buttons: buttons}
	}
	if c.Price > 0 {
		desc = cut(joinNonEmpty(" · ", priceText(c), c.Description), MaxDescription)
	}
	if title == "" && desc == "" {
		title = "…"
	}
	return &TextCard{Title: title, Description: desc, Buttons: buttons}
}

// priceText tells a card's price, with its discount when one applies.
func priceText(c sodam.Card) string {
	if c.BasePrice > c.Price && c.DiscountPct > 0 {
		return fmt.Sprintf("%s (%d%% 할인, 원래 %s)", won(c.Price), c.DiscountPct, won(c.BasePrice))
	}
	if c.BasePrice > c.Price {
		return fmt.Sprintf("%s (원래 %s)", won(c.Price), won(c.BasePrice))
	}
	return won(c.Price)
}

// renderList makes one list card, or a carousel of list cards of five rows
// each (at most ten cards) when the list is longer.
func renderList(l *sodam.ListCard) Output {
	items := l.Items
	if max := MaxListItems * MaxCarouselItems; len(items) > max {
		items = items[:max]
	}
	buttons := renderButtons(l.Buttons, MaxListButtons)
	pages := (len(items) + MaxListItems - 1) / MaxListItems
	cards := make([]any, 0, pages)
	for p := 0; p < pages; p++ {
		rows := items[p*MaxListItems : min((p+1)*MaxListItems, len(items))]
		title := l.Title
		if pages > 1 {
			title = fmt.Sprintf("%s (%d/%d)", l.Title, p+1, pages)
			// Cut the title before the page mark so that the mark stays.
			if utf8.RuneCountInString(title) > MaxTitle {
				mark := fmt.Sprintf(" (%d/%d)", p+1, pages)
				title = cut(l.Title, MaxTitle-utf8.RuneCountInString(mark)) + mark
			}
		}
		lc := &ListCard{Header: ListHeader{Title: cut(title, MaxTitle)}, Buttons: buttons}
		for _, it := range rows {
			row := ListItem{Title: cut(it.Title, MaxTitle), Description: cut(it.Description, MaxDescription), ImageURL: it.ImageURL}
			if it.MessageText != "" {
				row.Action, row.MessageText = string(sodam.ActionMessage), it.MessageText
			}
			lc.Items = append(lc.Items, row)
		}
		cards = append(cards, lc)
	}
	if len(cards) == 1 {
		return Output{ListCard: cards[0].(*ListCard)}
	}
	return Output{Carousel: &Carousel{Type: TypeListCard, Items: cards}}
}

// renderButtons maps at most max buttons; a button with nothing to do is
// dropped.
func renderButtons(bs []sodam.Button, max int) []Button {
	var out []Button
	for _, b := range bs {
		if len(out) == max {
			break
		}
		kb := Button{Label: cut(b.Label, MaxLabel), Action: string(b.Action)}
		switch b.Action {
		case sodam.ActionWebLink:
			kb.WebLinkURL = b.URL
		case sodam.ActionPhone:
			kb.PhoneNumber = b.Phone
		default:
			kb.Action = string(sodam.ActionMessage)
			kb.MessageText = b.MessageText
			if kb.MessageText == "" {
				kb.MessageText = b.Label
			}
		}
		if kb.Label == "" || kb.WebLinkURL == "" && kb.PhoneNumber == "" && kb.MessageText == "" {
			continue
		}
		out = append(out, kb)
	}
	return out
}

func renderQuickReplies(qs []sodam.QuickReply) []QuickReply {
	var out []QuickReply
	for _, q := range qs {
		if len(out) == MaxQuickReplies {
			break
		}
		label := cut(strings.TrimSpace(q.Label), MaxLabel)
		if label == "" {
			continue
		}
		msg := q.MessageText
		if msg == "" {
			msg = q.Label
		}
		out = append(out, QuickReply{Label: label, Action: string(sodam.ActionMessage), MessageText: msg})
	}
	return out
}

// cut shortens s to at most n runes, ending a shortened text with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + ellipsis
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// won formats an amount of money as 18,000원.
func won(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + "원"
	}
	return b.String() + "원"
}
