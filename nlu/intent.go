package nlu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// The intents of contracts.md section 1.
const (
	IntentGreet            = "greet"
	IntentGoodbye          = "goodbye"
	IntentThanks           = "thanks"
	IntentHelp             = "help"
	IntentAffirm           = "affirm"
	IntentDeny             = "deny"
	IntentSearchMerchant   = "search_merchant"
	IntentBrowseMenu       = "browse_menu"
	IntentAskPromotion     = "ask_promotion"
	IntentMerchantInfo     = "merchant_info"
	IntentAddToOrder       = "add_to_order"
	IntentModifyOrder      = "modify_order"
	IntentCheckout         = "checkout"
	IntentOrderStatus      = "order_status"
	IntentCancelOrder      = "cancel_order"
	IntentReorder          = "reorder"
	IntentSearchEvent      = "search_event"
	IntentBookTicket       = "book_ticket"
	IntentCancelBooking    = "cancel_booking"
	IntentFileComplaint    = "file_complaint"
	IntentSubscribeChannel = "subscribe_channel"
	IntentOutOfScope       = "out_of_scope"
)

// Intents returns the 22 intents of contracts.md section 1, in the order of
// its table. The slice is new on every call.
func Intents() []string {
	return []string{
		IntentGreet, IntentGoodbye, IntentThanks, IntentHelp, IntentAffirm, IntentDeny,
		IntentSearchMerchant, IntentBrowseMenu, IntentAskPromotion, IntentMerchantInfo,
		IntentAddToOrder, IntentModifyOrder, IntentCheckout, IntentOrderStatus,
		IntentCancelOrder, IntentReorder, IntentSearchEvent, IntentBookTicket,
		IntentCancelBooking, IntentFileComplaint, IntentSubscribeChannel, IntentOutOfScope,
	}
}

// Example is one labelled message, one line of the JSONL files of
// contracts.md section 2. Slots hold the slot values as decoded from JSON
// (numbers are float64).
type Example struct {
	Text   string         `json:"text"`
	Intent string         `json:"intent"`
	Slots  map[string]any `json:"slots,omitempty"`
}

// ReadExamples reads one JSON Example a line. Blank lines are skipped. A
// line that is not a JSON object, or lacks its text or intent, is an error
// that names the line.
func ReadExamples(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var out []Example
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var ex Example
		if err := json.Unmarshal(b, &ex); err != nil {
			return nil, fmt.Errorf("nlu: read examples: line %d: %w", line, err)
		}
		if strings.TrimSpace(ex.Text) == "" {
			return nil, fmt.Errorf("nlu: read examples: line %d: no text", line)
		}
		if ex.Intent == "" {
			return nil, fmt.Errorf("nlu: read examples: line %d: no intent", line)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlu: read examples: line %d: %w", line+1, err)
	}
	return out, nil
}

// Classifier tells the intent of a message. It is a multinomial logistic
// regression over hashed character, jamo and word features (see
// features.go), trained by AdaGrad in a fixed order, so the same examples
// always give the same model. Its probabilities are calibrated by a
// temperature fitted on a held-out slice of the training data.
//
// A Classifier is safe for concurrent use.
type Classifier struct {
	intents []string     // class index → intent
	index   featureTable // feature hash → row of weights
	weights []float32    // one row of len(intents) weights per feature
	bias    []float32
	temp    float64 // temperature dividing the logits

	// MinConfidence is the probability below which Classify answers
	// out_of_scope: a message that no intent explains well is most likely
	// none of them.
	MinConfidence float64

	pool sync.Pool // of *featurizer
}

// DefaultMinConfidence is the MinConfidence of a newly trained Classifier.
// On the hold-out of TestClassifierHoldOut, thresholds up to 0.35 turn away
// no message that an intent should have taken, and higher ones start to.
const DefaultMinConfidence = 0.35

// trainConfig holds the learning parameters.
type trainConfig struct {
	epochs   int
	rate     float64 // AdaGrad learning rate
	seed     uint64
	holdOut  float64 // share of each intent held out to fit the temperature
	minCount int     // features seen fewer times are dropped
}

func defaultTrainConfig() trainConfig {
	return trainConfig{epochs: 16, rate: 0.2, seed: 20261124, holdOut: 0.2, minCount: 1}
}

// TrainClassifier trains a classifier on examples. Every example's intent
// must be one of Intents(). Training is deterministic.
func TrainClassifier(examples []Example) (*Classifier, error) {
	return trainClassifier(examples, defaultTrainConfig())
}

func trainClassifier(examples []Example, cfg trainConfig) (*Classifier, error) {
	if len(examples) == 0 {
		return nil, errors.New("nlu: train classifier: no examples")
	}
	intents := Intents()
	classOf := make(map[string]int, len(intents))
	for i, in := range intents {
		classOf[in] = i
	}
	labels := make([]int, len(examples))
	for i, ex := range examples {
		c, ok := classOf[ex.Intent]
		if !ok {
			return nil, fmt.Errorf("nlu: train classifier: example %d (%q): unknown intent %q", i+1, ex.Text, ex.Intent)
		}
		labels[i] = c
	}

	var fz featurizer
	hashes := make([][]uint64, len(examples))
	for i, ex := range examples {
		hashes[i] = slices.Clone(fz.features(ex.Text))
	}

	// Fit the temperature on a model that has not seen a stratified slice
	// of the data, then train the final model on everything.
	temp := 1.0
	if cfg.holdOut > 0 {
		train, held := splitStratified(labels, len(intents), cfg.holdOut)
		if len(held) > 0 && len(train) > 0 {
			m := fit(subset(hashes, train), subset(labels, train), intents, cfg)
			temp = m.fitTemperature(subset(hashes, held), subset(labels, held))
		}
	}
	c := fit(hashes, labels, intents, cfg)
	c.temp = temp
	return c, nil
}

// fit trains the weights on examples, given by their feature hashes, with
// the given labels.
func fit(hashes [][]uint64, labels []int, intents []string, cfg trainConfig) *Classifier {
	k := len(intents)

	// Feature rows in order of first appearance, so that the model does not
	// depend on map iteration order.
	counts := make(map[uint64]int32)
	for _, hs := range hashes {
		for _, h := range hs {
			counts[h]++
		}
	}
	index := make(map[uint64]int32, len(counts))
	for _, hs := range hashes {
		for _, h := range hs {
			if _, ok := index[h]; !ok && int(counts[h]) >= cfg.minCount {
				index[h] = int32(len(index))
			}
		}
	}

	// Each example as sparse (row, value) pairs, values scaled to unit norm.
	type sparse struct {
		rows []int32
		val  float32
	}
	data := make([]sparse, len(hashes))
	for i, hs := range hashes {
		rows := make([]int32, 0, len(hs))
		for _, h := range hs {
			if r, ok := index[h]; ok {
				rows = append(rows, r)
			}
		}
		// As in Classifier.logits, scaled by all the features.
		val := float32(0)
		if len(hs) > 0 {
			val = float32(1 / math.Sqrt(float64(len(hs))))
		}
		data[i] = sparse{rows, val}
	}

	c := &Classifier{
		intents:       intents,
		index:         newFeatureTable(index),
		weights:       make([]float32, len(index)*k),
		bias:          make([]float32, k),
		temp:          1,
		MinConfidence: DefaultMinConfidence,
	}
	gw := make([]float32, len(c.weights)) // AdaGrad accumulators
	gb := make([]float32, k)
	order := make([]int, len(hashes))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	logits := make([]float64, k)
	grad := make([]float32, k)
	active := make([]int32, 0, k)
	const (
		eps       = 1e-6
		gradFloor = 1e-3
	)
	rate := float32(cfg.rate)
	for range cfg.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			x := data[i]
			c.logitsOf(x.rows, x.val, logits)
			softmax(logits, 1)
			for j := range grad {
				grad[j] = float32(logits[j])
			}
			grad[labels[i]] -= 1
			// Intents already ruled out, and the right one when it is
			// already certain, carry no signal; updating only the others
			// makes training several times faster.
			active = active[:0]
			for j, g := range grad {
				if g <= -gradFloor || g >= gradFloor {
					active = append(active, int32(j))
				}
			}
			for _, j := range active {
				g := grad[j]
				gb[j] += g * g
				c.bias[j] -= rate * g / float32(math.Sqrt(float64(gb[j])+eps))
			}
			for _, r := range x.rows {
				w := c.weights[int(r)*k : int(r)*k+k]
				a := gw[int(r)*k : int(r)*k+k]
				for _, j := range active {
					g := grad[j] * x.val
					a[j] += g * g
					w[j] -= rate * g / float32(math.Sqrt(float64(a[j])+eps))
				}
			}
		}
	}
	return c
}

// logitsOf fills out with the raw scores of a message given as rows.
func (c *Classifier) logitsOf(rows []int32, val float32, out []float64) {
	k := len(c.intents)
	var buf [32]float32
	acc := buf[:0]
	if k > len(buf) {
		acc = make([]float32, 0, k)
	}
	acc = append(acc, c.bias...)
	for _, r := range rows {
		w := c.weights[int(r)*k : int(r)*k+k]
		for j := range acc {
			acc[j] += val * w[j]
		}
	}
	for j, v := range acc {
		out[j] = float64(v)
	}
}

// softmax turns logits divided by temp into probabilities in place.
func softmax(v []float64, temp float64) {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	sum := 0.0
	for i, x := range v {
		v[i] = math.Exp((x - m) / temp)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// logits fills out with the raw scores of a message given by its feature
// hashes; features unknown to the model are skipped.
func (c *Classifier) logits(hs []uint64, out []float64) {
	rows := make([]int32, 0, len(hs))
	for _, h := range hs {
		if r, ok := c.index.lookup(h); ok {
			rows = append(rows, r)
		}
	}
	val := float32(0)
	if len(hs) > 0 {
		// Scale by all the features of the message, not the known ones: a
		// message of mostly unseen text should score low everywhere.
		val = float32(1 / math.Sqrt(float64(len(hs))))
	}
	c.logitsOf(rows, val, out)
}

// probs returns the calibrated probability of every intent for text, in
// the order of c.intents; nil for a message with no features at all.
func (c *Classifier) probs(text string) []float64 {
	fz, _ := c.pool.Get().(*featurizer)
	if fz == nil {
		fz = new(featurizer)
	}
	defer c.pool.Put(fz)
	hs := fz.features(text)
	if len(hs) == 0 {
		return nil
	}
	out := make([]float64, len(c.intents))
	c.logits(hs, out)
	softmax(out, c.temp)
	return out
}

// Scores returns the calibrated probability of every intent for text,
// summing to 1. Text with nothing to read (empty, only spaces) is
// out_of_scope with probability 1.
func (c *Classifier) Scores(text string) map[string]float64 {
	p := c.probs(text)
	out := make(map[string]float64, len(c.intents))
	for i, in := range c.intents {
		if p == nil {
			out[in] = 0
			continue
		}
		out[in] = p[i]
	}
	if p == nil {
		out[IntentOutOfScope] = 1
	}
	return out
}

// Classify returns the most likely intent of text and its probability.
// When that probability is below c.MinConfidence the answer is
// out_of_scope, with the probability that the best intent is wrong.
func (c *Classifier) Classify(text string) (intent string, confidence float64) {
	p := c.probs(text)
	if p == nil {
		return IntentOutOfScope, 1
	}
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	if p[best] < c.MinConfidence {
		return IntentOutOfScope, 1 - p[best]
	}
	return c.intents[best], p[best]
}

// fitTemperature returns the temperature that minimises the negative log
// likelihood of the held-out examples, searched on a grid.
func (c *Classifier) fitTemperature(hashes [][]uint64, labels []int) float64 {
	logits := make([][]float64, len(hashes))
	for i, hs := range hashes {
		logits[i] = make([]float64, len(c.intents))
		c.logits(hs, logits[i])
	}
	best, bestNLL := 1.0, math.Inf(1)
	p := make([]float64, len(c.intents))
	for t := 0.2; t <= 3.0001; t += 0.05 {
		nll := 0.0
		for i, l := range logits {
			copy(p, l)
			softmax(p, t)
			nll -= math.Log(max(p[labels[i]], 1e-12))
		}
		if nll < bestNLL {
			best, bestNLL = t, nll
		}
	}
	return best
}

// splitStratified deterministically puts about share of each class into
// held, the rest into train, keeping the order of the data.
func splitStratified(labels []int, k int, share float64) (train, held []int) {
	seen := make([]int, k)
	every := int(math.Round(1 / share))
	for i, l := range labels {
		seen[l]++
		if every > 0 && seen[l]%every == 0 {
			held = append(held, i)
		} else {
			train = append(train, i)
		}
	}
	return train, held
}

// subset returns the elements of xs at idx.
func subset[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}
