package evals

import (
	"slices"
	"testing"

	"github.com/sodam-ai/sodam/nlu"
)

// slotKinds are the slots of contracts.md section 1 and the JSON kind of
// their values as decoded into Example.Slots.
var slotKinds = map[string]string{
	"items": "items", "merchant": "string", "category": "string", "location": "string",
	"address": "string", "near_me": "bool", "datetime": "string", "event": "string",
	"performer": "string", "venue": "string", "ticket_count": "int", "seat_grade": "string",
	"budget": "int", "complaint_type": "string", "payment_method": "string",
}

func TestTrainingSet(t *testing.T) {
	examples, err := ReadTrainingSet()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(TrainingSet()); got != len(examples) {
		t.Errorf("TrainingSet has %d examples, ReadTrainingSet %d", got, len(examples))
	}
	intents := nlu.Intents()
	perIntent := map[string]int{}
	seen := map[string]bool{}
	for i, ex := range examples {
		if !slices.Contains(intents, ex.Intent) {
			t.Errorf("example %d %q: unknown intent %q", i+1, ex.Text, ex.Intent)
		}
		perIntent[ex.Intent]++
		if seen[ex.Text] {
			t.Errorf("example %d %q: text appears twice", i+1, ex.Text)
		}
		seen[ex.Text] = true
		checkSlots(t, i+1, ex)
	}
	for _, in := range intents {
		if perIntent[in] < 90 {
			t.Errorf("intent %s has %d examples, want at least 90", in, perIntent[in])
		}
	}
}

func checkSlots(t *testing.T, line int, ex nlu.Example) {
	t.Helper()
	for name, v := range ex.Slots {
		kind, ok := slotKinds[name]
		if !ok {
			t.Errorf("example %d %q: unknown slot %q", line, ex.Text, name)
			continue
		}
		switch kind {
		case "string":
			if s, ok := v.(string); !ok || s == "" {
				t.Errorf("example %d %q: slot %s = %v, want a non-empty string", line, ex.Text, name, v)
			}
		case "bool":
			if _, ok := v.(bool); !ok {
				t.Errorf("example %d %q: slot %s = %v, want a bool", line, ex.Text, name, v)
			}
		case "int":
			if f, ok := v.(float64); !ok || f != float64(int64(f)) || f <= 0 {
				t.Errorf("example %d %q: slot %s = %v, want a positive integer", line, ex.Text, name, v)
			}
		case "items":
			items, ok := v.([]any)
			if !ok || len(items) == 0 {
				t.Errorf("example %d %q: items = %v, want a non-empty list", line, ex.Text, v)
				continue
			}
			for _, it := range items {
				m, ok := it.(map[string]any)
				name, _ := m["name"].(string)
				q, _ := m["quantity"].(float64)
				if !ok || name == "" || q < 1 {
					t.Errorf("example %d %q: item %v, want a name and a quantity of at least 1", line, ex.Text, it)
				}
			}
		}
	}
	if c, ok := ex.Slots["complaint_type"].(string); ok &&
		!slices.Contains([]string{"cold", "late", "wrong_item", "missing_item", "taste", "quality", "rude", "other"}, c) {
		t.Errorf("example %d %q: complaint_type %q is not in the enum", line, ex.Text, c)
	}
	if s, ok := ex.Slots["seat_grade"].(string); ok &&
		!slices.Contains([]string{"VIP", "R", "S", "A", "B", "스탠딩", "전석"}, s) {
		t.Errorf("example %d %q: seat_grade %q is not a grade", line, ex.Text, s)
	}
}
