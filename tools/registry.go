package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	invopop "github.com/invopop/jsonschema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/sodam-ai/sodam"
)

// Tool describes one tool for a planner: its name, what it does in English
// and Korean, the JSON Schema of its arguments (derived from its input
// struct) and whether calling it changes anything.
type Tool struct {
	Name          string          `json:"name"`
	Description   string          `json:"description"`
	DescriptionKo string          `json:"description_ko"`
	Schema        json.RawMessage `json:"schema"`
	SideEffect    bool            `json:"side_effect"`

	validator *jsonschema.Schema
	invoke    func(ctx context.Context, userID string, args []byte) (any, error)
}

// Tools lists every tool in a stable order.
func (t *Toolbox) Tools() []Tool {
	out := slices.Clone(t.tools)
	for k := range out {
		out[k].Schema = slices.Clone(out[k].Schema)
	}
	return out
}

// Call runs the tool name with JSON arguments. The arguments are checked
// against the tool's schema before anything happens: an unknown tool is
// ENOTFOUND; arguments that are not an object, a field of the wrong type,
// an unknown field, a missing required field or a value out of range is
// EINVALID naming the field. Refused calls are recorded in the audit log
// too. The result is the tool's output struct (*XOutput).
func (t *Toolbox) Call(ctx context.Context, userID, name string, args json.RawMessage) (any, error) {
	const op = "tools.Call"
	start := time.Now()
	if len(bytes.TrimSpace(args)) == 0 || bytes.Equal(bytes.TrimSpace(args), []byte("null")) {
		args = json.RawMessage("{}")
	}
	tool, ok := t.byName[name]
	if !ok {
		err := fail(sodam.ENOTFOUND, op, "그런 기능은 없어요.")
		err.Err = fmt.Errorf("unknown tool %q", name)
		t.audit(ctx, userID, name, args, nil, err, time.Since(start))
		return nil, err
	}
	if err := tool.validate(args); err != nil {
		err.Op = op
		t.audit(ctx, userID, name, args, nil, err, time.Since(start))
		return nil, err
	}
	return tool.invoke(ctx, userID, args)
}

// validate checks args against the tool's schema.
func (tool *Tool) validate(args []byte) *sodam.Error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(args))
	if err != nil {
		return &sodam.Error{Code: sodam.EINVALID, Message: "입력값이 올바른 JSON이 아니에요.", Err: err}
	}
	if err := tool.validator.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		detail := err.Error()
		if errors.As(err, &ve) {
			detail = describe(ve)
		}
		return &sodam.Error{Code: sodam.EINVALID, Message: "입력값을 확인해 주세요: " + detail, Err: err}
	}
	return nil
}

// describe names the fields of a validation error and what is wrong with
// each: "quantity: got string, want integer; missing property 'session_id'".
func describe(ve *jsonschema.ValidationError) string {
	p := message.NewPrinter(language.English)
	var parts []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		msg := e.ErrorKind.LocalizedString(p)
		if loc := strings.Join(e.InstanceLocation, "."); loc != "" {
			msg = loc + ": " + msg
		}
		parts = append(parts, msg)
	}
	walk(ve)
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), "; ")
}

// toolDef builds a tool from its implementation: the schema is derived
// from In, and invoking decodes the arguments into In (unknown fields
// refused) and runs the call in the audit frame.
func toolDef[In, Out any](t *Toolbox, name string, side bool, en, ko string, fn func(context.Context, string, In) (*Out, error)) Tool {
	schema := inputSchema(reflect.TypeFor[In](), en)
	return Tool{
		Name:          name,
		Description:   en,
		DescriptionKo: ko,
		Schema:        schema,
		SideEffect:    side,
		invoke: func(ctx context.Context, userID string, args []byte) (any, error) {
			var in In
			dec := json.NewDecoder(bytes.NewReader(args))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				e := &sodam.Error{Code: sodam.EINVALID, Op: "tools.Call", Message: "입력값을 확인해 주세요: " + err.Error(), Err: err}
				t.audit(ctx, userID, name, args, nil, e, 0)
				return nil, e
			}
			return run(ctx, t, userID, name, in, args, fn)
		},
	}
}

// inputSchema derives the JSON Schema (2020-12) of an input struct: no
// $ref, no additional properties, required fields from the `jsonschema`
// tags. Descriptions are taken whole from the tag: they run to its end and
// may hold commas, which the reflector would otherwise cut at.
func inputSchema(typ reflect.Type, description string) json.RawMessage {
	r := &invopop.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		Anonymous:                  true,
	}
	s := r.ReflectFromType(typ)
	s.Description = description
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		_, desc, ok := strings.Cut(f.Tag.Get("jsonschema"), "description=")
		if !ok || name == "" || s.Properties == nil {
			continue
		}
		if p, ok := s.Properties.Get(name); ok {
			p.Description = desc
		}
	}
	if s.Properties == nil || s.Properties.Len() == 0 {
		s.Properties = nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("tools: schema of %v: %v", typ, err))
	}
	return b
}

// compileSchema compiles a tool's schema for validation, asserting
// formats (date-time) as well as types and ranges.
func compileSchema(name string, schema []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "https://schemas.sodam.invalid/tools/" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// registry lists the tools in their stable order and compiles their
// schemas once.
func (t *Toolbox) registry() ([]Tool, map[string]*Tool) {
	tools := []Tool{
		toolDef(t, "search_merchants", false,
			"Find stores by name or dish, category, a named place, nearness to the user, a budget, or open now. Near searches are ordered by distance, others by id.",
			"이름이나 메뉴, 업종, 장소, 내 주변, 예산, 영업 중 여부로 가게를 찾아요. 주변 검색은 가까운 순, 그 밖에는 번호 순이에요.",
			t.searchMerchants),
		toolDef(t, "get_menu", false,
			"Show a store's menu with today's prices, or the items matching a query or under a price.",
			"가게의 메뉴와 오늘 가격을 보여 줘요. 메뉴 이름이나 가격으로 좁힐 수 있어요.",
			t.getMenu),
		toolDef(t, "get_promotions", false,
			"List menu items with a discount in force now, of one store, one category or all.",
			"지금 할인 중인 메뉴를 가게별, 업종별 또는 전체로 보여 줘요.",
			t.getPromotions),
		toolDef(t, "merchant_info", false,
			"Tell a store's opening hours, delivery fee, minimum order and address, and whether it is open now.",
			"가게의 영업 시간, 배달비, 최소 주문 금액, 주소와 지금 영업 중인지 알려 줘요.",
			t.merchantInfo),
		toolDef(t, "cart_add", true,
			"Add a menu item to the user's cart. The cart holds one store's items; replace empties it for another store.",
			"메뉴를 장바구니에 담아요. 장바구니에는 한 가게의 메뉴만 담기고, replace를 켜면 비우고 담아요.",
			t.cartAdd),
		toolDef(t, "cart_update", true,
			"Change the quantity or options of a cart line; quantity 0 removes it.",
			"장바구니에 담긴 메뉴의 수량이나 옵션을 바꿔요. 수량 0은 빼기예요.",
			t.cartUpdate),
		toolDef(t, "cart_remove", true,
			"Remove an item from the cart.",
			"장바구니에서 메뉴를 빼요.",
			t.cartRemove),
		toolDef(t, "get_cart", false,
			"Show the user's cart priced now.",
			"지금 가격으로 장바구니를 보여 줘요.",
			t.getCart),
		toolDef(t, "quote_order", false,
			"Price the cart for checkout and tell whether it can be ordered now and, if not, why. Changes nothing.",
			"주문 전에 장바구니 금액을 계산하고 지금 주문할 수 있는지, 안 되면 왜인지 알려 줘요. 아무것도 바꾸지 않아요.",
			t.quoteOrder),
		toolDef(t, "place_order", true,
			"Place the cart as an order after the user confirmed its total. Refused when the store is closed or the minimum order is not reached.",
			"사용자가 금액을 확인한 뒤 장바구니를 주문으로 확정해요. 영업 시간이 아니거나 최소 주문 금액에 못 미치면 거절돼요.",
			t.placeOrder),
		toolDef(t, "pay", true,
			"Pay a placed order or a held booking for its total. Repeating it never charges twice.",
			"확정된 주문이나 잡아 둔 예매를 결제해요. 다시 불러도 두 번 결제되지 않아요.",
			t.payTool),
		toolDef(t, "order_status", false,
			"Tell where an order is: the one named or the latest.",
			"주문 상태를 알려 줘요. 번호가 없으면 가장 최근 주문이에요.",
			t.orderStatus),
		toolDef(t, "cancel_order", true,
			"Cancel an order (or empty the cart); a paid order is refunded. A delivered order cannot be cancelled.",
			"주문을 취소하거나 장바구니를 비워요. 결제한 주문은 환불돼요. 배달된 주문은 취소할 수 없어요.",
			t.cancelOrder),
		toolDef(t, "reorder", true,
			"Fill the cart with a past order's items at today's prices.",
			"지난 주문과 같은 메뉴를 오늘 가격으로 장바구니에 담아요.",
			t.reorder),
		toolDef(t, "search_events", false,
			"Find concerts, plays, musicals and fan meetings by text, performer, category, venue, place and dates, with their upcoming sessions.",
			"콘서트, 연극, 뮤지컬, 팬미팅을 이름, 출연자, 장르, 공연장, 장소, 날짜로 찾고 예정된 회차를 보여 줘요.",
			t.searchEvents),
		toolDef(t, "get_sessions", false,
			"List an event's upcoming sessions with seat grades, prices and seats left.",
			"공연의 예정된 회차와 좌석 등급, 가격, 남은 좌석을 보여 줘요.",
			t.getSessions),
		toolDef(t, "book_tickets", true,
			"Hold seats of one grade of a session for a few minutes until paid. Subscriber-only events need the channel added.",
			"공연 회차의 좌석을 결제할 때까지 몇 분간 잡아 둬요. 채널 전용 공연은 채널을 추가해야 해요.",
			t.bookTickets),
		toolDef(t, "cancel_booking", true,
			"Cancel a booking: seats go back and a paid booking is refunded.",
			"예매를 취소해요. 좌석은 돌아가고 결제한 예매는 환불돼요.",
			t.cancelBooking),
		toolDef(t, "file_complaint", true,
			"File a complaint about an order or booking, the latest one when none is named.",
			"주문이나 예매에 대한 불편 사항을 접수해요. 지정하지 않으면 가장 최근 것이에요.",
			t.fileComplaint),
		toolDef(t, "subscribe_channel", true,
			"Add (or remove) a store's or an agency's channel.",
			"가게나 기획사 채널을 추가하거나 삭제해요.",
			t.subscribeChannel),
		toolDef(t, "past_orders", false,
			"List the user's past orders, newest first.",
			"지난 주문 내역을 최근 순으로 보여 줘요.",
			t.pastOrders),
	}
	byName := make(map[string]*Tool, len(tools))
	for k := range tools {
		v, err := compileSchema(tools[k].Name, tools[k].Schema)
		if err != nil {
			panic(fmt.Sprintf("tools: schema of %s: %v", tools[k].Name, err))
		}
		tools[k].validator = v
		byName[tools[k].Name] = &tools[k]
	}
	return tools, byName
}
