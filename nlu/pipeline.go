package nlu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Pipeline turns a message into a Parse: it normalises the text, extracts
// entities, links catalog names, classifies the intent and fills the slots.
// It is read-only after NewPipeline and safe for concurrent use.
type Pipeline struct {
	cls *Classifier
	cat *Catalog
}

// NewPipeline returns a pipeline that classifies with cls and links to cat.
// cat may be nil: names are then found only through the built-in word
// lists. cls may be nil in tests of slot filling: every message is then
// out_of_scope with confidence 0.
func NewPipeline(cls *Classifier, cat *Catalog) *Pipeline {
	return &Pipeline{cls: cls, cat: cat}
}

// Catalog returns the catalog the pipeline links to, possibly nil.
func (p *Pipeline) Catalog() *Catalog { return p.cat }

// maxParseRunes bounds the text a parse looks at; chat messages are short
// and the rest of a very long paste is ignored.
const maxParseRunes = 2000

// Parse is what the pipeline understood of one message. Links and
// Entities count code points of Normalized.
type Parse struct {
	Text       string  `json:"text"`
	Normalized string  `json:"normalized"`
	Intent     string  `json:"intent"`
	Confidence float64 `json:"confidence"`
	Slots      Slots   `json:"slots"`

	Links    []Link     `json:"links,omitempty"`
	Entities []Entity   `json:"entities,omitempty"`
	Removals []ItemSlot `json:"removals,omitempty"` // items refused or removed: 콜라는 빼고, 콜라 빼줘
	// Ordinal refers to an entry of the last list shown (첫 번째, 2번),
	// 0 when none.
	Ordinal int `json:"ordinal,omitempty"`
	// Correction reports that the message corrects the one before (말고,
	// 아니 …, 바꿔줘).
	Correction bool `json:"correction,omitempty"`
}

// lowConfidence is the confidence under which an out_of_scope decision is
// overridden by strong catalog links.
const lowConfidence = 0.5

// Parse understands text at the reference time ref, which resolves
// relative dates (내일, 이번 주 토요일). It never fails: text that makes no
// sense is out_of_scope with no slots.
func (p *Pipeline) Parse(text string, ref time.Time) *Parse {
	return p.parse(text, ref, "")
}

// parse is Parse; a non-empty intent is taken as given instead of
// classified and is not corrected, so that slot filling can be tested
// apart from the classifier.
func (p *Pipeline) parse(text string, ref time.Time, intent string) *Parse {
	norm := Normalize(text)
	if utf8.RuneCountInString(norm) > maxParseRunes {
		norm = string([]rune(norm)[:maxParseRunes])
	}
	out := &Parse{Text: text, Normalized: norm, Intent: IntentOutOfScope}
	if strings.TrimSpace(norm) == "" {
		return out
	}
	switch {
	case intent != "":
		out.Intent, out.Confidence = intent, 1
	case p.cls != nil:
		out.Intent, out.Confidence = p.cls.Classify(norm)
	}
	out.Entities = Extract(norm, ref)
	out.Links = p.cat.Link(norm)
	if intent == "" && out.Intent == IntentOutOfScope && out.Confidence < lowConfidence && p.cls != nil {
		out.Intent, out.Confidence = p.rescue(norm, out)
	}
	out.Slots, out.Removals = fillSlots(norm, out.Intent, out.Entities, out.Links, p.cat, ref)
	out.Ordinal = ordinal(norm, out.Entities)
	out.Correction = isCorrection(foldForm(norm))
	if in := postRule(out); intent == "" && in != out.Intent {
		out.Intent = in
		out.Slots, out.Removals = fillSlots(norm, out.Intent, out.Entities, out.Links, p.cat, ref)
	}
	return out
}

// postRule corrects the classifier where the slots leave no doubt:
//   - a number of tickets (2장, R석 2매) outside a cancellation is a
//     booking, even when the message also looks for the show or pays;
//   - an order that removes or corrects items (콜라는 빼고, 세 마리 말고
//     두 마리) modifies the order rather than adds to it.
func postRule(p *Parse) string {
	cs := foldForm(p.Normalized)
	switch p.Intent {
	case IntentSearchEvent, IntentCheckout, IntentOutOfScope, IntentAddToOrder:
		if p.Slots.TicketCount > 0 && !strings.Contains(cs, "취소") && !strings.Contains(cs, "환불") {
			return IntentBookTicket
		}
	}
	if p.Intent == IntentAddToOrder && (len(p.Removals) > 0 || p.Correction && (strings.Contains(cs, "말고") || strings.Contains(cs, "바꿔"))) {
		return IntentModifyOrder
	}
	return p.Intent
}

// rescue reconsiders a weak out_of_scope decision when the message names
// catalog records exactly: the best in-scope intent wins if it is close.
func (p *Pipeline) rescue(norm string, out *Parse) (string, float64) {
	strong := false
	for _, l := range out.Links {
		if l.Score == 1 && utf8.RuneCountInString(l.Surface) >= 2 {
			strong = true
			break
		}
	}
	if !strong {
		return out.Intent, out.Confidence
	}
	best, bestScore := out.Intent, 0.0
	for intent, s := range p.cls.Scores(norm) {
		if intent != IntentOutOfScope && s > bestScore {
			best, bestScore = intent, s
		}
	}
	if bestScore >= out.Confidence/3 {
		return best, bestScore
	}
	return out.Intent, out.Confidence
}
