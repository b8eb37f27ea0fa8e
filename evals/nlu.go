package evals

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/sodam-ai/sodam/nlu"
)

// NLUReport holds the figures of an NLU evaluation in the JSON shape of
// contracts.md section 2, with per-intent figures and the most frequent
// confusions added under names of their own.
type NLUReport struct {
	Count          int                    `json:"count"`
	IntentAccuracy float64                `json:"intent_accuracy"`
	IntentMacroF1  float64                `json:"intent_macro_f1"`
	SlotMicroF1    float64                `json:"slot_micro_f1"`
	Slots          map[string]SlotScore   `json:"slots"`
	Errors         []NLUError             `json:"errors"`
	Intents        map[string]IntentScore `json:"intents,omitempty"`
	Confusions     []Confusion            `json:"confusions,omitempty"`
	counts         map[string]*slotCounter
}

// SlotScore is the precision, recall and F1 of one slot; Support counts
// the messages whose gold has the slot.
type SlotScore struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// IntentScore is the precision, recall and F1 of one intent; Support
// counts the messages labelled with it.
type IntentScore = SlotScore

// NLUError is one message the pipeline got wrong: a wrong intent, or slots
// missed, wrong or extra (SlotMisses names them).
type NLUError struct {
	Text       string   `json:"text"`
	GoldIntent string   `json:"gold_intent"`
	Intent     string   `json:"intent"`
	SlotMisses []string `json:"slot_misses"`
	Line       int      `json:"line"`
}

// Confusion counts messages of one intent taken for another.
type Confusion struct {
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// slotCounter counts one slot's true and false positives and false
// negatives.
type slotCounter struct{ tp, fp, fn, support int }

func (c *slotCounter) score() SlotScore {
	p, r := ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn)
	return SlotScore{Precision: round4(p), Recall: round4(r), F1: round4(f1(p, r)), Support: c.support}
}

// nluSlotKinds says how each slot of contracts.md section 1 is compared.
var nluSlotKinds = map[string]string{
	"items": "items", "merchant": "string", "category": "exact", "location": "string",
	"address": "string", "near_me": "exact", "datetime": "datetime", "event": "string",
	"performer": "string", "venue": "string", "ticket_count": "exact", "seat_grade": "exact",
	"budget": "exact", "complaint_type": "exact", "payment_method": "exact",
}

// SlotNames returns the slots of contracts.md section 1, sorted.
func SlotNames() []string {
	out := make([]string, 0, len(nluSlotKinds))
	for k := range nluSlotKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// goldLine is one line of an evaluation file.
type goldLine struct {
	Text   *string        `json:"text"`
	Intent string         `json:"intent"`
	Slots  map[string]any `json:"slots"`
}

// EvalNLU parses every message of r, a JSONL file in the format of
// contracts.md section 2, with p at the reference time ref and scores the
// result against the gold labels:
//
//   - intent accuracy, and macro F1 over the intents in the gold or the
//     predictions;
//   - per slot, precision, recall and F1, where a slot counts once per
//     message: a true positive when gold and prediction agree, a false
//     positive when the prediction has a value the gold does not, a false
//     negative when the gold has a value the prediction lacks (a wrong
//     value is both);
//   - slot micro F1 over all slots.
//
// Numbers, booleans and enum values (category, seat_grade,
// complaint_type, payment_method) match exactly, and a false boolean is the
// same as none; datetime matches to the minute; strings match after
// removing spaces and case when equal or when one contains the other;
// items match as a multiset of (name by the string rule, quantity).
//
// A malformed line, a missing text, an unknown intent or slot, or a slot
// value of the wrong type is an error naming its line; a low score never
// is.
func EvalNLU(ctx context.Context, p *nlu.Pipeline, r io.Reader, ref time.Time) (*NLUReport, error) {
	known := map[string]bool{}
	for _, in := range nlu.Intents() {
		known[in] = true
	}
	rep := &NLUReport{Slots: map[string]SlotScore{}, Errors: []NLUError{}, counts: map[string]*slotCounter{}}
	for s := range nluSlotKinds {
		rep.counts[s] = &slotCounter{}
	}
	type pair struct{ gold, pred string }
	var pairs []pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		if line%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var g goldLine
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&g); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if g.Text == nil {
			return nil, fmt.Errorf("line %d: missing \"text\"", line)
		}
		if !known[g.Intent] {
			return nil, fmt.Errorf("line %d: unknown intent %q", line, g.Intent)
		}
		gold, err := goldSlots(g.Slots)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		parse := p.Parse(*g.Text, ref)
		pred, err := predSlots(parse.Slots)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rep.Count++
		pairs = append(pairs, pair{g.Intent, parse.Intent})
		var misses []string
		for _, name := range SlotNames() {
			gv, inGold := gold[name]
			pv, inPred := pred[name]
			c := rep.counts[name]
			if inGold {
				c.support++
			}
			switch {
			case inGold && inPred && slotMatch(name, gv, pv):
				c.tp++
			case inGold && inPred:
				c.fp++
				c.fn++
				misses = append(misses, name)
			case inGold:
				c.fn++
				misses = append(misses, name)
			case inPred:
				c.fp++
				misses = append(misses, name)
			}
		}
		if parse.Intent != g.Intent || len(misses) > 0 {
			if misses == nil {
				misses = []string{}
			}
			rep.Errors = append(rep.Errors, NLUError{Text: *g.Text, GoldIntent: g.Intent, Intent: parse.Intent, SlotMisses: misses, Line: line})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if rep.Count == 0 {
		return nil, fmt.Errorf("no examples")
	}

	// Intents.
	labels := map[string]*slotCounter{}
	get := func(l string) *slotCounter {
		if labels[l] == nil {
			labels[l] = &slotCounter{}
		}
		return labels[l]
	}
	correct := 0
	conf := map[pair]int{}
	for _, pr := range pairs {
		get(pr.gold).support++
		if pr.gold == pr.pred {
			correct++
			get(pr.gold).tp++
			continue
		}
		get(pr.gold).fn++
		get(pr.pred).fp++
		conf[pr]++
	}
	rep.IntentAccuracy = round4(float64(correct) / float64(rep.Count))
	rep.Intents = map[string]IntentScore{}
	sum := 0.0
	for l, c := range labels {
		s := c.score()
		rep.Intents[l] = s
		sum += f1(ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn))
	}
	rep.IntentMacroF1 = round4(sum / float64(len(labels)))
	for pr, n := range conf {
		rep.Confusions = append(rep.Confusions, Confusion{Gold: pr.gold, Predicted: pr.pred, Count: n})
	}
	sort.Slice(rep.Confusions, func(a, b int) bool {
		x, y := rep.Confusions[a], rep.Confusions[b]
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		if x.Gold != y.Gold {
			return x.Gold < y.Gold
		}
		return x.Predicted < y.Predicted
	})

	// Slots.
	var all slotCounter
	for name, c := range rep.counts {
		if c.support == 0 && c.fp == 0 {
			continue
		}
		rep.Slots[name] = c.score()
		all.tp += c.tp
		all.fp += c.fp
		all.fn += c.fn
	}
	prec, rec := ratio(all.tp, all.tp+all.fp), ratio(all.tp, all.tp+all.fn)
	rep.SlotMicroF1 = round4(f1(prec, rec))
	return rep, nil
}

// goldSlots checks and normalises the slots of a gold line.
func goldSlots(m map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range m {
		kind, ok := nluSlotKinds[k]
		if !ok {
			return nil, fmt.Errorf("unknown slot %q", k)
		}
		nv, keep, err := normSlot(k, kind, v)
		if err != nil {
			return nil, fmt.Errorf("slot %q: %w", k, err)
		}
		if keep {
			out[k] = nv
		}
	}
	return out, nil
}

// predSlots turns predicted slots into the same form as gold slots, by way
// of their JSON.
func predSlots(s nlu.Slots) (map[string]any, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("predicted slots: %w", err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("predicted slots: %w", err)
	}
	return goldSlots(m)
}

// item is an items entry prepared for matching.
type item struct {
	name string
	qty  int64
}

// normSlot checks v's type for its slot and returns it in the form
// slotMatch compares: strings folded, numbers as float64, datetimes
// truncated to the minute, items as []item. keep is false for values that
// mean "none" (false, null, empty).
func normSlot(name, kind string, v any) (any, bool, error) {
	if v == nil {
		return nil, false, nil
	}
	switch kind {
	case "string":
		s, ok := v.(string)
		if !ok {
			return nil, false, fmt.Errorf("want a string, got %T", v)
		}
		f := fold(s)
		return f, f != "", nil
	case "datetime":
		s, ok := v.(string)
		if !ok {
			return nil, false, fmt.Errorf("want an RFC 3339 string, got %T", v)
		}
		if s == "" {
			return nil, false, nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, false, err
		}
		return t.Truncate(time.Minute).UTC(), true, nil
	case "items":
		xs, ok := v.([]any)
		if !ok {
			return nil, false, fmt.Errorf("want a list, got %T", v)
		}
		var out []item
		for i, x := range xs {
			o, ok := x.(map[string]any)
			if !ok {
				return nil, false, fmt.Errorf("item %d: want an object, got %T", i, x)
			}
			n, ok := o["name"].(string)
			if !ok {
				return nil, false, fmt.Errorf("item %d: want a name", i)
			}
			q := int64(1)
			if qv, ok := o["quantity"]; ok && qv != nil {
				num, ok := qv.(json.Number)
				if !ok {
					return nil, false, fmt.Errorf("item %d: quantity: want a number, got %T", i, qv)
				}
				f, err := num.Float64()
				if err != nil || f != math.Trunc(f) {
					return nil, false, fmt.Errorf("item %d: quantity %v is not an integer", i, num)
				}
				q = int64(f)
			}
			if ov, ok := o["options"]; ok && ov != nil {
				if _, ok := ov.([]any); !ok {
					return nil, false, fmt.Errorf("item %d: options: want a list, got %T", i, ov)
				}
			}
			out = append(out, item{fold(n), q})
		}
		return out, len(out) > 0, nil
	}
	// exact
	switch x := v.(type) {
	case bool:
		return x, x, nil
	case string:
		if name == "ticket_count" || name == "budget" {
			return nil, false, fmt.Errorf("want a number, got a string")
		}
		return x, x != "", nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, false, err
		}
		return f, true, nil
	case float64:
		return x, true, nil
	}
	return nil, false, fmt.Errorf("unexpected %T", v)
}

// slotMatch compares a gold and a predicted value, normalised by normSlot.
func slotMatch(name string, gold, pred any) bool {
	switch nluSlotKinds[name] {
	case "string":
		return stringMatch(gold.(string), pred.(string))
	case "datetime":
		return gold.(time.Time).Equal(pred.(time.Time))
	case "items":
		return itemsMatch(gold.([]item), pred.([]item))
	}
	return gold == pred
}

// stringMatch applies the string rule to folded strings: equal, or one
// contains the other.
func stringMatch(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return a == b || strings.Contains(a, b) || strings.Contains(b, a)
}

// itemsMatch reports whether two item lists are the same multiset of
// (name by the string rule, quantity).
func itemsMatch(gold, pred []item) bool {
	if len(gold) != len(pred) {
		return false
	}
	// Match exact names first, so that a containment match does not take a
	// predicted item another gold item needs.
	used := make([]bool, len(pred))
	rest := []item{}
	for _, g := range gold {
		k := slices.IndexFunc(pred, func(p item) bool { return p == g })
		for k >= 0 && used[k] {
			next := slices.IndexFunc(pred[k+1:], func(p item) bool { return p == g })
			if next < 0 {
				k = -1
				break
			}
			k += 1 + next
		}
		if k >= 0 {
			used[k] = true
		} else {
			rest = append(rest, g)
		}
	}
	for _, g := range rest {
		found := false
		for k, p := range pred {
			if !used[k] && p.qty == g.qty && stringMatch(g.name, p.name) {
				used[k], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// fold lower-cases s and removes its spaces.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// WriteTable prints the report for people: the totals, a table per intent
// and per slot, and the most frequent confusions.
func (rep *NLUReport) WriteTable(w io.Writer, maxConfusions int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "messages\t%d\t\n", rep.Count)
	fmt.Fprintf(tw, "intent accuracy\t%.4f\t\n", rep.IntentAccuracy)
	fmt.Fprintf(tw, "intent macro F1\t%.4f\t\n", rep.IntentMacroF1)
	fmt.Fprintf(tw, "slot micro F1\t%.4f\t\n", rep.SlotMicroF1)
	fmt.Fprintln(tw, "\t\t")
	fmt.Fprintln(tw, "intent\tprecision\trecall\tf1\tsupport\t")
	for _, name := range sortedKeys(rep.Intents) {
		s := rep.Intents[name]
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", name, s.Precision, s.Recall, s.F1, s.Support)
	}
	fmt.Fprintln(tw, "\t\t")
	fmt.Fprintln(tw, "slot\tprecision\trecall\tf1\tsupport\t")
	for _, name := range sortedKeys(rep.Slots) {
		s := rep.Slots[name]
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", name, s.Precision, s.Recall, s.F1, s.Support)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Confusions) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "most frequent confusions (gold -> predicted):")
		for i, c := range rep.Confusions {
			if i == maxConfusions {
				break
			}
			fmt.Fprintf(w, "  %3d  %s -> %s\n", c.Count, c.Gold, c.Predicted)
		}
	}
	_, err := fmt.Fprintf(w, "\n%d messages with an error\n", len(rep.Errors))
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
