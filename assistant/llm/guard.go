package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/tools"
)

// Access is what the planner does with a model's call of a tool.
type Access int

const (
	// Refuse: the call is answered with an error and nothing runs.
	Refuse Access = iota
	// Run: the planner runs the tool. Only tools that read, or that edit
	// the draft cart, which charges nothing and holds nothing.
	Run
	// Propose: the call becomes an assistant.Proposal that the dialogue
	// manager prices and puts to the user; it runs only on their yes.
	Propose
	// Handover: the turn goes to the dialogue manager, which acts on the
	// user's own words by its own rules.
	Handover
)

func (a Access) String() string {
	switch a {
	case Run:
		return "run"
	case Propose:
		return "propose"
	case Handover:
		return "handover"
	}
	return "refuse"
}

// AccessOf decides what a model's call of tool t may do. A tool without
// side effects runs; a side-effecting tool runs only when it edits the
// draft cart; the ones that charge, hold, cancel or subscribe are
// proposals; file_complaint is handed over; anything else with side effects
// is refused, so that a tool added later is safe until it is classified
// here.
func AccessOf(t tools.Tool) Access {
	if !t.SideEffect {
		return Run
	}
	switch t.Name {
	case "cart_add", "cart_update", "cart_remove", "reorder":
		// They edit the cart, a draft order: nothing is charged, held or
		// sent, and the total is confirmed again before any order.
		return Run
	case "place_order", "pay", "book_tickets", "cancel_order", "cancel_booking", "subscribe_channel":
		return Propose
	case "file_complaint":
		return Handover
	}
	return Refuse
}

// proposalOf turns a validated call of a Propose tool into the proposal
// the dialogue manager confirms. Amounts the model states (expected_total)
// are dropped: the dialogue manager prices the proposal itself.
func proposalOf(name string, args json.RawMessage) (assistant.Proposal, error) {
	switch name {
	case "place_order":
		var in tools.PlaceOrderInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		return assistant.Proposal{Kind: assistant.ConfirmOrder, Method: in.PaymentMethod, Address: in.Address}, nil
	case "pay":
		var in tools.PayInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		if in.BookingID != "" {
			return assistant.Proposal{Kind: assistant.ConfirmBooking, BookingID: in.BookingID, Method: in.Method}, nil
		}
		// Paying an order is placing the cart and paying it: the
		// dialogue's checkout.
		return assistant.Proposal{Kind: assistant.ConfirmOrder, Method: in.Method}, nil
	case "book_tickets":
		var in tools.BookTicketsInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		return assistant.Proposal{Kind: assistant.ConfirmBooking, SessionID: in.SessionID, SeatGrade: in.SeatGrade, TicketCount: in.TicketCount}, nil
	case "cancel_order":
		var in tools.CancelOrderInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		return assistant.Proposal{Kind: assistant.ConfirmCancelOrder, OrderID: in.OrderID}, nil
	case "cancel_booking":
		var in tools.CancelBookingInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		return assistant.Proposal{Kind: assistant.ConfirmCancelBooking, BookingID: in.BookingID}, nil
	case "subscribe_channel":
		var in tools.SubscribeChannelInput
		if err := decodeStrict(args, &in); err != nil {
			return assistant.Proposal{}, err
		}
		if in.Unsubscribe {
			return assistant.Proposal{}, errors.New("removing a channel is not offered here; ask the user to say it")
		}
		return assistant.Proposal{Kind: assistant.ConfirmSubscribe, ChannelID: in.ChannelID}, nil
	}
	return assistant.Proposal{}, fmt.Errorf("%s cannot be proposed", name)
}

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("arguments: %w", err)
	}
	return nil
}

// schemas validates a model's arguments against the tools' schemas
// without running anything.
type schemas map[string]*jsonschema.Schema

func compileSchemas(ts []tools.Tool) (schemas, error) {
	out := make(schemas, len(ts))
	for _, t := range ts {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(t.Schema))
		if err != nil {
			return nil, fmt.Errorf("llm: schema of %s: %w", t.Name, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		url := "https://schemas.sodam.invalid/llm/" + t.Name + ".json"
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("llm: schema of %s: %w", t.Name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("llm: schema of %s: %w", t.Name, err)
		}
		out[t.Name] = s
	}
	return out, nil
}

// check validates args (a JSON object; empty means {}) for tool name.
func (s schemas) check(name string, args json.RawMessage) error {
	v, ok := s[name]
	if !ok {
		return fmt.Errorf("unknown tool %q", name)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(args))
	if err != nil {
		return fmt.Errorf("arguments are not valid JSON: %w", err)
	}
	if err := v.Validate(doc); err != nil {
		return fmt.Errorf("arguments do not match the schema: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}
