package kakao_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/kakao"
)

func TestRenderLimits(t *testing.T) {
	longLabel := "아주아주아주아주 긴 라벨이에요 정말로"
	manyButtons := func(n int) []sodam.Button {
		var bs []sodam.Button
		for i := 0; i < n; i++ {
			bs = append(bs, sodam.Button{Label: fmt.Sprintf("%s %d", longLabel, i), Action: sodam.ActionMessage, MessageText: "네"})
		}
		return bs
	}
	listOf := func(n int) *sodam.ListCard {
		l := &sodam.ListCard{Title: "가게", Buttons: manyButtons(3)}
		for i := 0; i < n; i++ {
			l.Items = append(l.Items, sodam.ListItem{Title: fmt.Sprintf("%d. 가게", i+1), MessageText: fmt.Sprintf("%d번", i+1)})
		}
		return l
	}
	cardsOf := func(n int, image string) []sodam.Card {
		var cs []sodam.Card
		for i := 0; i < n; i++ {
			cs = append(cs, sodam.Card{Kind: sodam.CardEvent, ID: fmt.Sprint(i), Title: strings.Repeat("제목", 40),
				Description: strings.Repeat("설명", 200), ImageURL: image, Buttons: manyButtons(5)})
		}
		return cs
	}
	var qrs []sodam.QuickReply
	for i := 0; i < 15; i++ {
		qrs = append(qrs, sodam.QuickReply{Label: longLabel, MessageText: fmt.Sprint(i)})
	}

	tests := []struct {
		name  string
		in    *sodam.Response
		check func(t *testing.T, r *kakao.SkillResponse)
	}{
		{"2,000-rune text is cut to 1,000 with an ellipsis", &sodam.Response{Text: strings.Repeat("가", 2000)}, func(t *testing.T, r *kakao.SkillResponse) {
			got := r.Template.Outputs[0].SimpleText.Text
			if n := utf8.RuneCountInString(got); n != kakao.MaxSimpleText || !strings.HasSuffix(got, "…") {
				t.Errorf("text of %d runes ending %q", n, got[len(got)-3:])
			}
		}},
		{"short text is kept", &sodam.Response{Text: "안녕하세요"}, func(t *testing.T, r *kakao.SkillResponse) {
			if got := r.Template.Outputs[0].SimpleText.Text; got != "안녕하세요" {
				t.Errorf("text = %q", got)
			}
		}},
		{"30-row list becomes a carousel of six list cards", &sodam.Response{List: listOf(30)}, func(t *testing.T, r *kakao.SkillResponse) {
			c := r.Template.Outputs[0].Carousel
			if c == nil || c.Type != kakao.TypeListCard || len(c.Items) != 6 {
				t.Fatalf("output = %+v, want a carousel of 6 list cards", r.Template.Outputs[0])
			}
			rows := 0
			for i, it := range c.Items {
				lc := it.(*kakao.ListCard)
				rows += len(lc.Items)
				if len(lc.Items) > kakao.MaxListItems || len(lc.Buttons) != kakao.MaxListButtons {
					t.Errorf("card %d: %d rows, %d buttons", i, len(lc.Items), len(lc.Buttons))
				}
				if want := fmt.Sprintf("가게 (%d/6)", i+1); lc.Header.Title != want {
					t.Errorf("card %d title %q, want %q", i, lc.Header.Title, want)
				}
			}
			if rows != 30 {
				t.Errorf("%d rows shown, want 30", rows)
			}
		}},
		{"80-row list keeps 10 cards of 5", &sodam.Response{List: listOf(80)}, func(t *testing.T, r *kakao.SkillResponse) {
			if n := len(r.Template.Outputs[0].Carousel.Items); n != kakao.MaxCarouselItems {
				t.Errorf("%d list cards", n)
			}
		}},
		{"5-row list is one list card", &sodam.Response{List: listOf(5)}, func(t *testing.T, r *kakao.SkillResponse) {
			if lc := r.Template.Outputs[0].ListCard; lc == nil || len(lc.Items) != 5 || lc.Items[0].Action != "message" {
				t.Errorf("output = %+v", r.Template.Outputs[0])
			}
		}},
		{"15 quick replies keep 10 with short labels", &sodam.Response{Text: "골라 주세요", QuickReplies: qrs}, func(t *testing.T, r *kakao.SkillResponse) {
			if n := len(r.Template.QuickReplies); n != kakao.MaxQuickReplies {
				t.Errorf("%d quick replies", n)
			}
			for _, q := range r.Template.QuickReplies {
				if utf8.RuneCountInString(q.Label) > kakao.MaxLabel || q.Action != "message" || q.MessageText == "" {
					t.Errorf("quick reply %+v", q)
				}
			}
		}},
		{"12 cards with pictures keep 10 basic cards of 3 buttons", &sodam.Response{Cards: cardsOf(12, "https://img.example.com/a.jpg")}, func(t *testing.T, r *kakao.SkillResponse) {
			c := r.Template.Outputs[0].Carousel
			if c == nil || c.Type != kakao.TypeBasicCard || len(c.Items) != kakao.MaxCarouselItems {
				t.Fatalf("output = %+v", r.Template.Outputs[0])
			}
			for _, it := range c.Items {
				bc := it.(*kakao.BasicCard)
				if utf8.RuneCountInString(bc.Title) > kakao.MaxTitle || utf8.RuneCountInString(bc.Description) > kakao.MaxDescription || len(bc.Buttons) != kakao.MaxCardButtons {
					t.Errorf("card title %d runes, description %d runes, %d buttons", utf8.RuneCountInString(bc.Title), utf8.RuneCountInString(bc.Description), len(bc.Buttons))
				}
				for _, b := range bc.Buttons {
					if utf8.RuneCountInString(b.Label) > kakao.MaxLabel {
						t.Errorf("label %q", b.Label)
					}
				}
			}
		}},
		{"a card without a picture makes the carousel text cards", &sodam.Response{Cards: append(cardsOf(1, "https://img.example.com/a.jpg"), cardsOf(1, "")...)}, func(t *testing.T, r *kakao.SkillResponse) {
			if c := r.Template.Outputs[0].Carousel; c == nil || c.Type != kakao.TypeTextCard {
				t.Errorf("output = %+v", r.Template.Outputs[0])
			}
		}},
		{"a discounted menu item is a commerce card", &sodam.Response{Cards: []sodam.Card{{Kind: sodam.CardMenuItem, Title: "후라이드치킨", Price: 16200, BasePrice: 18000, DiscountPct: 10, ImageURL: "https://img.example.com/i.jpg"}}}, func(t *testing.T, r *kakao.SkillResponse) {
			cc := r.Template.Outputs[0].CommerceCard
			if cc == nil || cc.Price != 18000 || cc.DiscountedPrice != 16200 || cc.DiscountRate != 10 || cc.Currency != "won" || len(cc.Buttons) != 1 || cc.Description == "" {
				t.Errorf("commerce card %+v", cc)
			}
		}},
		{"a payment link is a card with a 결제하기 link", &sodam.Response{Text: "결제해 주세요", Payment: &sodam.PaymentLink{Amount: 19200, URL: "https://pay.example.com/p-1"}}, func(t *testing.T, r *kakao.SkillResponse) {
			tc := r.Template.Outputs[1].TextCard
			if tc == nil || tc.Title != "결제 금액 19,200원" || tc.Buttons[0] != (kakao.Button{Label: "결제하기", Action: "webLink", WebLinkURL: "https://pay.example.com/p-1"}) {
				t.Errorf("payment card %+v", tc)
			}
		}},
		{"at most 3 outputs", &sodam.Response{Text: "a", Payment: &sodam.PaymentLink{Amount: 1, URL: "https://p"}, Cards: cardsOf(2, ""), List: listOf(2)}, func(t *testing.T, r *kakao.SkillResponse) {
			if n := len(r.Template.Outputs); n != kakao.MaxOutputs {
				t.Errorf("%d outputs", n)
			}
		}},
		{"nothing to show still answers", &sodam.Response{}, func(t *testing.T, r *kakao.SkillResponse) {
			if len(r.Template.Outputs) != 1 || r.Template.Outputs[0].SimpleText == nil {
				t.Errorf("outputs %+v", r.Template.Outputs)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := kakao.Render(tc.in)
			if r.Version != "2.0" {
				t.Errorf("version %q", r.Version)
			}
			if err := r.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			tc.check(t, r)
		})
	}
}

func TestValidateCatchesBrokenResponses(t *testing.T) {
	text := func(s string) kakao.Output { return kakao.Output{SimpleText: &kakao.SimpleText{Text: s}} }
	tpl := func(outs ...kakao.Output) *kakao.SkillResponse {
		return &kakao.SkillResponse{Version: "2.0", Template: &kakao.SkillTemplate{Outputs: outs}}
	}
	tests := []struct {
		name string
		r    *kakao.SkillResponse
		want string
	}{
		{"no version", &kakao.SkillResponse{Template: &kakao.SkillTemplate{Outputs: []kakao.Output{text("a")}}}, "version"},
		{"four outputs", tpl(text("a"), text("b"), text("c"), text("d")), "4 outputs"},
		{"long text", tpl(text(strings.Repeat("가", 1001))), "simpleText of 1001 runes"},
		{"long label", func() *kakao.SkillResponse {
			r := tpl(text("a"))
			r.Template.QuickReplies = []kakao.QuickReply{{Label: strings.Repeat("가", 15), Action: "message", MessageText: "a"}}
			return r
		}(), "label of 15 runes"},
		{"eleven carousel items", func() *kakao.SkillResponse {
			c := &kakao.Carousel{Type: kakao.TypeTextCard}
			for i := 0; i < 11; i++ {
				c.Items = append(c.Items, &kakao.TextCard{Title: "a"})
			}
			return tpl(kakao.Output{Carousel: c})
		}(), "carousel of 11 items"},
		{"mixed carousel", tpl(kakao.Output{Carousel: &kakao.Carousel{Type: kakao.TypeBasicCard, Items: []any{&kakao.TextCard{Title: "a"}}}}), "a textCard in a basicCard carousel"},
		{"six list rows", tpl(kakao.Output{ListCard: &kakao.ListCard{Header: kakao.ListHeader{Title: "a"}, Items: make([]kakao.ListItem, 6)}}), "6 rows"},
		{"commerce card without a button", tpl(kakao.Output{CommerceCard: &kakao.CommerceCard{Description: "a", Price: 1, Currency: "won", Thumbnails: []kakao.Thumbnail{{ImageURL: "x"}}}}), "0 buttons"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}
