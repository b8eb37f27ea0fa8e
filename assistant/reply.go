package assistant

import (
	"fmt"
	"strings"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// qr is a quick reply that sends msg.
func qr(label, msg string) sodam.QuickReply { return sodam.QuickReply{Label: label, MessageText: msg} }

// yesNo are the quick replies of a confirmation.
func yesNo() []sodam.QuickReply {
	return []sodam.QuickReply{qr("네", "네"), qr("아니요", "아니요")}
}

// numberedReplies are quick replies 1번 … n번 (at most 5) sending "k" + suffix.
func numberedReplies(n int, suffix string) []sodam.QuickReply {
	var out []sodam.QuickReply
	for k := 1; k <= n && k <= 5; k++ {
		out = append(out, qr(fmt.Sprintf("%d번", k), fmt.Sprintf("%d%s", k, suffix)))
	}
	return out
}

func msgButton(label, text string) sodam.Button {
	return sodam.Button{Label: label, Action: sodam.ActionMessage, MessageText: text}
}

func merchantCard(m *sodam.Merchant, extra string) sodam.Card {
	desc := fmt.Sprintf("%s · 배달비 %s · 최소 %s", m.Category, Won(m.DeliveryFee), Won(m.MinOrder))
	if extra != "" {
		desc = extra + " · " + desc
	}
	return sodam.Card{Kind: sodam.CardMerchant, ID: m.ID, Title: m.Name, Description: desc, ImageURL: m.ImageURL,
		Buttons: []sodam.Button{msgButton("메뉴 보기", m.Name+" 메뉴 보여줘"), msgButton("할인 메뉴", m.Name+" 할인 메뉴 있어?")}}
}

func merchantCards(rs []tools.MerchantResult) []sodam.Card {
	out := make([]sodam.Card, 0, len(rs))
	for _, r := range rs {
		out = append(out, merchantCard(r.Merchant, merchantExtra(r)))
	}
	return out
}

func merchantExtra(r tools.MerchantResult) string {
	var parts []string
	if r.DistanceKm > 0 {
		parts = append(parts, fmt.Sprintf("%.1fkm", r.DistanceKm))
	}
	if !r.OpenNow {
		parts = append(parts, "영업 준비 중")
	}
	return strings.Join(parts, " · ")
}

func merchantList(rs []tools.MerchantResult) *sodam.ListCard {
	l := &sodam.ListCard{Title: "가게"}
	for i, r := range rs {
		desc := merchantExtra(r)
		if desc == "" {
			desc = r.Merchant.Category
		}
		l.Items = append(l.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", i+1, r.Merchant.Name),
			Description: desc, ImageURL: r.Merchant.ImageURL, MessageText: fmt.Sprintf("%d번 가게 메뉴 보여줘", i+1)})
	}
	return l
}

func itemCards(vs []tools.MenuItemView, merchantNames map[string]string) []sodam.Card {
	out := make([]sodam.Card, 0, len(vs))
	for _, v := range vs {
		it := v.Item
		title := it.Name
		if n := merchantNames[it.ID]; n != "" {
			title = n + " " + it.Name
		}
		c := sodam.Card{Kind: sodam.CardMenuItem, ID: it.ID, Title: title, Description: it.Description,
			Price: v.Price, ImageURL: it.ImageURL,
			Buttons: []sodam.Button{msgButton("담기", it.Name+" 1개 담아줘")}}
		if v.Discounted {
			c.BasePrice, c.DiscountPct = it.Price, it.DiscountPercent
		}
		if len(it.Options) > 0 {
			var opts []string
			for _, o := range it.Options {
				opts = append(opts, fmt.Sprintf("%s +%s", o.Name, Won(o.Price)))
			}
			c.Description = strings.TrimSpace(c.Description + " (옵션: " + strings.Join(opts, ", ") + ")")
		}
		out = append(out, c)
	}
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

func itemList(title string, vs []tools.MenuItemView) *sodam.ListCard {
	l := &sodam.ListCard{Title: title}
	for i, v := range vs {
		desc := Won(v.Price)
		if v.Discounted {
			desc = fmt.Sprintf("%s (%d%% 할인, 원래 %s)", Won(v.Price), v.Item.DiscountPercent, Won(v.Item.Price))
		}
		if v.Item.SoldOut {
			desc += " · 품절"
		}
		l.Items = append(l.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", i+1, v.Item.Name), Description: desc,
			ImageURL: v.Item.ImageURL, MessageText: v.Item.Name + " 1개 담아줘"})
	}
	return l
}

// cartList shows a cart or an order as a list.
func cartList(merchant string, o *sodam.Order) *sodam.ListCard {
	l := &sodam.ListCard{Title: merchant + " 장바구니"}
	for _, line := range o.Items {
		l.Items = append(l.Items, sodam.ListItem{Title: fmt.Sprintf("%s × %d", lineName(line), line.Quantity),
			Description: Won(line.LineTotal)})
	}
	l.Items = append(l.Items, sodam.ListItem{Title: "배달비", Description: Won(o.DeliveryFee)},
		sodam.ListItem{Title: "합계", Description: Won(o.Total)})
	l.Buttons = []sodam.Button{msgButton("주문하기", "주문할게요")}
	return l
}

func orderCard(o *sodam.Order, merchant string) sodam.Card {
	return sodam.Card{Kind: sodam.CardOrder, ID: o.ID, Title: merchant + " 주문",
		Description: orderSummary(o) + " · " + statusName(string(o.Status)), Price: o.Total,
		Buttons: []sodam.Button{msgButton("주문 상태", "주문 어디쯤 왔어?")}}
}

func eventCard(e *sodam.Event, desc string) sodam.Card {
	return sodam.Card{Kind: sodam.CardEvent, ID: e.ID, Title: e.Title, Description: desc, ImageURL: e.ImageURL,
		Buttons: []sodam.Button{msgButton("예매하기", e.Title+" 예매할게요")}}
}

func bookingCard(e *sodam.Event, s *sodam.Session, b *sodam.Booking) sodam.Card {
	return sodam.Card{Kind: sodam.CardBooking, ID: b.ID, Title: e.Title,
		Description: fmt.Sprintf("%s · %s · %s %d장 · %s", KoreanTime(s.StartsAt), e.Venue, gradeLabel(b.SeatGrade), b.TicketCount, statusName(string(b.Status))),
		Price:       b.Total, ImageURL: e.ImageURL}
}

func statusName(s string) string {
	switch s {
	case "draft":
		return "장바구니"
	case "placed":
		return "주문 접수"
	case "paid":
		return "결제 완료"
	case "cancelled":
		return "취소됨"
	case "delivered":
		return "배달 완료"
	case "held":
		return "좌석 확보"
	}
	return s
}
