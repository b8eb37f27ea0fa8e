package tools_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func TestToolsList(t *testing.T) {
	e := newEnv(t)
	var names []string
	for _, tool := range e.tb.Tools() {
		names = append(names, tool.Name)
		if tool.Description == "" || tool.DescriptionKo == "" {
			t.Errorf("%s lacks a description", tool.Name)
		}
	}
	want := []string{"search_merchants", "get_menu", "get_promotions", "merchant_info", "cart_add", "cart_update",
		"cart_remove", "get_cart", "quote_order", "place_order", "pay", "order_status", "cancel_order", "reorder",
		"search_events", "get_sessions", "book_tickets", "cancel_booking", "file_complaint", "subscribe_channel", "past_orders"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	side := map[string]bool{}
	for _, tool := range e.tb.Tools() {
		side[tool.Name] = tool.SideEffect
	}
	for name, want := range map[string]bool{"search_merchants": false, "quote_order": false, "cart_add": true, "pay": true, "book_tickets": true, "past_orders": false} {
		if side[name] != want {
			t.Errorf("%s side effect = %v, want %v", name, side[name], want)
		}
	}
}

// TestSchemasAreValid validates every schema against the 2020-12
// metaschema, compiles it on its own, and checks the shape planners rely
// on.
func TestSchemasAreValid(t *testing.T) {
	e := newEnv(t)
	meta, err := jsonschema.NewCompiler().Compile("https://json-schema.org/draft/2020-12/schema")
	must(t, err)
	for _, tool := range e.tb.Tools() {
		t.Run(tool.Name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(tool.Schema))
			must(t, err)
			if err := meta.Validate(doc); err != nil {
				t.Fatalf("not a 2020-12 schema: %v", err)
			}
			c := jsonschema.NewCompiler()
			must(t, c.AddResource("https://example.test/"+tool.Name, doc))
			if _, err := c.Compile("https://example.test/" + tool.Name); err != nil {
				t.Fatalf("schema does not compile: %v\n%s", err, tool.Schema)
			}
			var s struct {
				Schema     string                     `json:"$schema"`
				Type       string                     `json:"type"`
				Additional *bool                      `json:"additionalProperties"`
				Properties map[string]json.RawMessage `json:"properties"`
				Ref        string                     `json:"$ref"`
				Defs       json.RawMessage            `json:"$defs"`
			}
			must(t, json.Unmarshal(tool.Schema, &s))
			if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.Type != "object" || s.Additional == nil || *s.Additional || s.Ref != "" || s.Defs != nil {
				t.Errorf("schema shape: %s", tool.Schema)
			}
		})
	}
}

func TestSchemaDetails(t *testing.T) {
	e := newEnv(t)
	schemas := map[string]string{}
	for _, tool := range e.tb.Tools() {
		schemas[tool.Name] = string(tool.Schema)
	}
	tests := []struct {
		tool, want string
	}{
		{"book_tickets", `"required":["session_id","seat_grade","ticket_count"]`},
		{"book_tickets", `"description":"VIP, R, S, A, B, 스탠딩 or 전석"`},
		{"book_tickets", `"maximum":10`},
		{"search_merchants", `"description":"free text: a name, brand, dish or style (교촌, 매운 족발)"`},
		{"search_merchants", `"enum":["치킨","피자","햄버거","족발","중식","한식","분식","카페"]`},
		{"search_events", `"format":"date-time"`},
		{"file_complaint", `"required":["type"]`},
		{"get_cart", `"additionalProperties":false`},
	}
	for _, tc := range tests {
		if !strings.Contains(schemas[tc.tool], tc.want) {
			t.Errorf("%s schema lacks %s:\n%s", tc.tool, tc.want, schemas[tc.tool])
		}
	}
}

func TestCallRefusesBadArguments(t *testing.T) {
	tests := []struct {
		name, tool, args string
		field            string // named in the message
	}{
		{"wrong type", "cart_add", `{"menu_item_id": "i-001", "quantity": "two"}`, "quantity"},
		{"fraction for an integer", "cart_add", `{"menu_item_id": "i-001", "quantity": 1.5}`, "quantity"},
		{"unknown field", "cart_add", `{"menu_item_id": "i-001", "price": 1}`, "price"},
		{"missing required", "book_tickets", `{"session_id": "s-004", "seat_grade": "R"}`, "ticket_count"},
		{"under the minimum", "book_tickets", `{"session_id": "s-004", "seat_grade": "R", "ticket_count": 0}`, "ticket_count"},
		{"over the maximum", "cart_add", `{"menu_item_id": "i-001", "quantity": 100}`, "quantity"},
		{"not in the enum", "place_order", `{"payment_method": "cash"}`, "payment_method"},
		{"not a date-time", "search_events", `{"from": "next friday"}`, "from"},
		{"not an object", "get_cart", `[]`, "got array"},
		{"not JSON", "get_cart", `{"`, "JSON"},
		{"nested wrong type", "cart_add", `{"menu_item_id": "i-001", "options": [1]}`, "options.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			const user = "fresh-user"
			_, err := e.tb.Call(bg, user, tc.tool, json.RawMessage(tc.args))
			wantCode(t, err, sodam.EINVALID)
			if msg := sodam.ErrorMessage(err); !strings.Contains(msg, tc.field) {
				t.Errorf("message %q does not name %q", msg, tc.field)
			}
			// Nothing happened but the record of the refusal.
			if _, err := e.store.User(bg, user); !sodam.IsCode(err, sodam.ENOTFOUND) {
				t.Errorf("refused call created the user: %v", err)
			}
			if os, _ := e.store.OrdersByUser(bg, user); len(os) != 0 {
				t.Errorf("refused call left orders")
			}
			if bs, _ := e.store.BookingsByUser(bg, user); len(bs) != 0 {
				t.Errorf("refused call left bookings")
			}
			e.wantSeats(t, "s-004", "R", 10)
			calls, err := e.store.ToolCalls(bg, user)
			must(t, err)
			if len(calls) != 1 || calls[0].Tool != tc.tool || calls[0].Error == "" || string(calls[0].Result) != "null" {
				t.Errorf("audit = %+v, want the refused call with its error", calls)
			}
		})
	}
}

func TestCallUnknownTool(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.Call(bg, "u-1", "launch_rocket", json.RawMessage(`{}`))
	wantCode(t, err, sodam.ENOTFOUND)
	calls, err := e.store.ToolCalls(bg, "u-1")
	must(t, err)
	if len(calls) != 1 || calls[0].Error == "" {
		t.Errorf("audit = %+v", calls)
	}
}

func TestCallDispatches(t *testing.T) {
	e := newEnv(t)
	args := json.RawMessage(`{"menu_item_id": "i-002", "quantity": 2}`)
	res, err := e.tb.Call(bg, "u-1", "cart_add", args)
	must(t, err)
	out, ok := res.(*tools.CartOutput)
	if !ok {
		t.Fatalf("result is %T, want *tools.CartOutput", res)
	}
	if out.Cart.Total != 2*16060+3000 {
		t.Errorf("total = %d", out.Cart.Total)
	}
	// Empty arguments are an empty object.
	res, err = e.tb.Call(bg, "u-1", "get_cart", nil)
	must(t, err)
	if res.(*tools.CartOutput).Cart == nil {
		t.Error("get_cart through Call lost the cart")
	}
	res, err = e.tb.Call(bg, "u-1", "search_events", json.RawMessage(`{"from": "2026-11-28T00:00:00+09:00", "to": "2026-11-30T00:00:00+09:00"}`))
	must(t, err)
	if evs := res.(*tools.SearchEventsOutput).Events; len(evs) != 1 || evs[0].Event.ID != "e-003" {
		t.Errorf("search_events through Call = %+v", evs)
	}
	calls, err := e.store.ToolCalls(bg, "u-1")
	must(t, err)
	if len(calls) != 3 || string(calls[0].Args) != string(args) || calls[1].Tool != "get_cart" {
		t.Errorf("audit = %+v", calls)
	}
}
