package evals

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog/demo"
	"github.com/sodam-ai/sodam/nlu"
)

// testRef is the reference time of nlu_test.jsonl (testdata/README.md).
var testRef = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// Floors of the held-out test set, set a little under the figures measured
// when it was written, so that a change that makes the NLU worse fails CI.
const (
	floorIntentAccuracy = 0.95
	floorIntentMacroF1  = 0.95
	floorSlotMicroF1    = 0.98
)

// newTestPipeline trains the classifier on the training set and links to
// the demo catalog.
func newTestPipeline(t testing.TB) *nlu.Pipeline {
	t.Helper()
	cls, err := nlu.TrainClassifier(TrainingSet())
	if err != nil {
		t.Fatal(err)
	}
	recs, err := demo.Records(testRef)
	if err != nil {
		t.Fatal(err)
	}
	var (
		ms []*sodam.Merchant
		is []*sodam.MenuItem
		es []*sodam.Event
	)
	for _, r := range recs {
		switch {
		case r.Merchant != nil:
			ms = append(ms, r.Merchant)
		case r.MenuItem != nil:
			is = append(is, r.MenuItem)
		case r.Event != nil:
			es = append(es, r.Event)
		}
	}
	return nlu.NewPipeline(cls, nlu.NewCatalog(ms, is, es))
}

func TestNLUTestSetFloor(t *testing.T) {
	f, err := os.Open("testdata/nlu_test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := EvalNLU(context.Background(), newTestPipeline(t), f, testRef)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table, 10); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table.String())
	for _, e := range rep.Errors {
		t.Logf("line %d: %q gold %s got %s, slots %v", e.Line, e.Text, e.GoldIntent, e.Intent, e.SlotMisses)
	}
	if rep.Count < 450 {
		t.Errorf("test set has %d messages, want at least 450", rep.Count)
	}
	if rep.IntentAccuracy < floorIntentAccuracy {
		t.Errorf("intent accuracy %.4f under the floor %.2f", rep.IntentAccuracy, floorIntentAccuracy)
	}
	if rep.IntentMacroF1 < floorIntentMacroF1 {
		t.Errorf("intent macro F1 %.4f under the floor %.2f", rep.IntentMacroF1, floorIntentMacroF1)
	}
	if rep.SlotMicroF1 < floorSlotMicroF1 {
		t.Errorf("slot micro F1 %.4f under the floor %.2f", rep.SlotMicroF1, floorSlotMicroF1)
	}
}

// TestNLUStoreBranches parses messages that name a store's branch with
// the demo catalog: the branch leaves the intent as it is for the store
// alone, and a catalogued branch is the merchant.
func TestNLUStoreBranches(t *testing.T) {
	p := newTestPipeline(t)
	tests := []struct {
		name, text, intent, merchant string
	}{
		{"order at a catalogued branch", "김밥천국 역삼점에서 참치김밥 4개 주문할게요", nlu.IntentAddToOrder, "김밥천국 역삼점"},
		{"order at the store", "김밥천국에서 참치김밥 4개 주문할게요", nlu.IntentAddToOrder, "김밥천국"},
		{"order at an unlisted branch", "김밥천국 강남점에서 참치김밥 4개 주문할게요", nlu.IntentAddToOrder, "김밥천국"},
		{"order at a station branch", "김밥천국 홍대입구점에서 참치김밥 4개 주문할게요", nlu.IntentAddToOrder, "김밥천국"},
		{"order at the head store", "김밥천국 본점에서 참치김밥 4개 주문할게요", nlu.IntentAddToOrder, "김밥천국"},
		{"시켜줘 at a branch", "김밥천국 역삼점에서 참치김밥 4개 시켜줘", nlu.IntentAddToOrder, "김밥천국 역삼점"},
		{"cancel at a branch", "김밥천국 역삼점 주문 취소해 주세요", nlu.IntentCancelOrder, "김밥천국 역삼점"},
		{"cancel naming only the branch", "역삼점 주문 취소할게요", nlu.IntentCancelOrder, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Parse(tc.text, testRef)
			if got.Intent != tc.intent {
				t.Errorf("Parse(%q) intent = %s (%.2f), want %s", tc.text, got.Intent, got.Confidence, tc.intent)
			}
			if got.Slots.Merchant != tc.merchant {
				t.Errorf("Parse(%q) merchant = %q, want %q", tc.text, got.Slots.Merchant, tc.merchant)
			}
		})
	}
}

func TestNLUTestSetCoverage(t *testing.T) {
	data, err := os.ReadFile("testdata/nlu_test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := nlu.ReadExamples(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	perIntent := map[string]int{}
	perSlot := map[string]int{}
	for _, e := range ex {
		perIntent[e.Intent]++
		for s := range e.Slots {
			perSlot[s]++
		}
	}
	for _, in := range nlu.Intents() {
		if perIntent[in] < 15 {
			t.Errorf("intent %s: %d messages, want at least 15", in, perIntent[in])
		}
	}
	for _, s := range SlotNames() {
		if perSlot[s] == 0 {
			t.Errorf("slot %s never appears", s)
		}
	}
}

// fixedPipeline parses with a pipeline that has no classifier: every
// message is out_of_scope, and slots come from the catalog-less word lists.
func fixedPipeline() *nlu.Pipeline { return nlu.NewPipeline(nil, nil) }

func TestEvalNLUScoring(t *testing.T) {
	// Without a classifier every intent is out_of_scope; the slots are
	// those the word lists find, under that intent.
	data := strings.Join([]string{
		`{"text": "카드로 할게요", "intent": "out_of_scope", "slots": {"payment_method": "card"}}`,
		`{"text": "카카오페이", "intent": "checkout", "slots": {"payment_method": "card"}}`,
		`{"text": "강남역", "intent": "out_of_scope", "slots": {}}`,
		`{"text": "안녕", "intent": "greet"}`,
	}, "\n")
	rep, err := EvalNLU(context.Background(), fixedPipeline(), strings.NewReader(data), testRef)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count != 4 {
		t.Errorf("count %d, want 4", rep.Count)
	}
	if rep.IntentAccuracy != 0.5 {
		t.Errorf("intent accuracy %v, want 0.5", rep.IntentAccuracy)
	}
	pm := rep.Slots["payment_method"]
	// One right, one wrong value (a false positive and a false negative).
	if pm.Support != 2 || pm.Precision != 0.5 || pm.Recall != 0.5 {
		t.Errorf("payment_method %+v, want support 2, precision 0.5, recall 0.5", pm)
	}
	loc := rep.Slots["location"]
	if loc.Support != 0 || loc.Precision != 0 {
		t.Errorf("location %+v, want an extra prediction only", loc)
	}
	// tp 1, fp 2, fn 1: P 1/3, R 1/2, F1 0.4.
	if rep.SlotMicroF1 != 0.4 {
		t.Errorf("slot micro F1 %v, want 0.4", rep.SlotMicroF1)
	}
	// The first line is right in full; the others are not.
	if len(rep.Errors) != 3 || rep.Errors[0].Line != 2 {
		t.Errorf("errors %+v, want lines 2, 3 and 4", rep.Errors)
	}
}

func TestSlotMatch(t *testing.T) {
	minute := func(s string) any {
		v, _, err := normSlot("datetime", "datetime", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	items := func(xs ...item) any { return xs }
	tests := []struct {
		name       string
		slot       string
		gold, pred any
		want       bool
	}{
		{"string equal", "merchant", "교촌", "교촌", true},
		{"string contains", "merchant", "교촌", "교촌치킨", true},
		{"string contained", "event", "뮤지컬〈레미제라블〉", "레미제라블", true},
		{"string differs", "merchant", "교촌", "bbq", false},
		{"datetime same minute", "datetime", minute("2026-11-25T19:00:00+09:00"), minute("2026-11-25T19:00:59+09:00"), true},
		{"datetime other zone", "datetime", minute("2026-11-25T19:00:00+09:00"), minute("2026-11-25T10:00:00Z"), true},
		{"datetime differs", "datetime", minute("2026-11-25T19:00:00+09:00"), minute("2026-11-25T19:01:00+09:00"), false},
		{"number exact", "ticket_count", 2.0, 2.0, true},
		{"number differs", "ticket_count", 2.0, 3.0, false},
		{"enum exact", "seat_grade", "R", "R", true},
		{"enum not contained", "seat_grade", "VIP", "V", false},
		{"items multiset", "items", items(item{"후라이드", 1}, item{"양념", 2}), items(item{"양념치킨", 2}, item{"후라이드", 1}), true},
		{"items quantity differs", "items", items(item{"후라이드", 1}), items(item{"후라이드", 2}), false},
		{"items count differs", "items", items(item{"후라이드", 1}), items(item{"후라이드", 1}, item{"콜라", 1}), false},
		{"items duplicates", "items", items(item{"콜라", 1}, item{"콜라", 1}), items(item{"콜라", 1}, item{"사이다", 1}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := slotMatch(tc.slot, tc.gold, tc.pred); got != tc.want {
				t.Errorf("slotMatch(%s, %v, %v) = %v, want %v", tc.slot, tc.gold, tc.pred, got, tc.want)
			}
		})
	}
}

func TestEvalNLUBadInput(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"bad json", "{\"text\": \"a\", \"intent\": \"greet\"}\n{oops", "line 2"},
		{"unknown intent", `{"text": "a", "intent": "order_pizza"}`, `line 1: unknown intent "order_pizza"`},
		{"unknown slot", `{"text": "a", "intent": "greet", "slots": {"colour": "red"}}`, `line 1: unknown slot "colour"`},
		{"missing text", `{"intent": "greet"}`, `line 1: missing "text"`},
		{"bad datetime", `{"text": "a", "intent": "greet", "slots": {"datetime": "tomorrow"}}`, "line 1: slot \"datetime\""},
		{"number as string", `{"text": "a", "intent": "greet", "slots": {"ticket_count": "2"}}`, "line 1: slot \"ticket_count\""},
		{"bad items", `{"text": "a", "intent": "greet", "slots": {"items": [{"quantity": 2}]}}`, "line 1: slot \"items\""},
		{"empty", "\n\n", "no examples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EvalNLU(context.Background(), fixedPipeline(), strings.NewReader(tc.data), testRef)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestEvalNLUCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := strings.Repeat(`{"text": "안녕", "intent": "greet"}`+"\n", 200)
	if _, err := EvalNLU(ctx, fixedPipeline(), strings.NewReader(data), testRef); err == nil {
		t.Error("a cancelled evaluation succeeded")
	}
}
