package evals

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/nlu"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// Scenario is one dialogue of contracts.md section 4: a user, the lines
// they type and the end state expected of the store.
type Scenario struct {
	ID      string       `json:"id"`
	RefTime time.Time    `json:"ref_time"`
	User    ScenarioUser `json:"user"`
	Turns   []string     `json:"turns"`
	Expect  Expect       `json:"expect"`
	// Note says what the scenario checks; it is not scored.
	Note string `json:"note,omitempty"`
}

// ScenarioUser is the user of a scenario, upserted before the first turn.
type ScenarioUser struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	Address       string   `json:"address,omitempty"`
	Lat           float64  `json:"lat,omitempty"`
	Lng           float64  `json:"lng,omitempty"`
	Phone         string   `json:"phone,omitempty"`
	Subscriptions []string `json:"subscriptions,omitempty"`
}

// Expect lists the records expected at the end. A nil list is not
// checked; an empty one means none may exist.
type Expect struct {
	Orders        *[]ExpectOrder        `json:"orders,omitempty"`
	Bookings      *[]ExpectBooking      `json:"bookings,omitempty"`
	Payments      *[]ExpectPayment      `json:"payments,omitempty"`
	Complaints    *[]ExpectComplaint    `json:"complaints,omitempty"`
	Subscriptions *[]ExpectSubscription `json:"subscriptions,omitempty"`
}

// ExpectOrder is an expected order; nil fields are not compared.
type ExpectOrder struct {
	MerchantID *string       `json:"merchant_id,omitempty"`
	Status     *string       `json:"status,omitempty"`
	Total      *int64        `json:"total,omitempty"`
	Items      *[]ExpectLine `json:"items,omitempty"`
}

// ExpectLine is an expected order line; Options is compared when listed.
type ExpectLine struct {
	MenuItemID string    `json:"menu_item_id"`
	Quantity   int       `json:"quantity"`
	Options    *[]string `json:"options,omitempty"`
}

// ExpectBooking is an expected booking.
type ExpectBooking struct {
	SessionID   *string `json:"session_id,omitempty"`
	SeatGrade   *string `json:"seat_grade,omitempty"`
	TicketCount *int    `json:"ticket_count,omitempty"`
	Status      *string `json:"status,omitempty"`
	Total       *int64  `json:"total,omitempty"`
}

// ExpectPayment is an expected payment.
type ExpectPayment struct {
	Method *string `json:"method,omitempty"`
	Amount *int64  `json:"amount,omitempty"`
	Status *string `json:"status,omitempty"`
}

// ExpectComplaint is an expected complaint.
type ExpectComplaint struct {
	Type   *string `json:"type,omitempty"`
	Status *string `json:"status,omitempty"`
}

// ExpectSubscription is an expected channel subscription.
type ExpectSubscription struct {
	ChannelID *string `json:"channel_id,omitempty"`
}

// DialogueReport is the outcome of a dialogue evaluation in the JSON shape
// of contracts.md section 4, with turn latencies and catalog problems
// under keys of their own.
type DialogueReport struct {
	Total     int              `json:"total"`
	Passed    int              `json:"passed"`
	PassRate  float64          `json:"pass_rate"`
	Scenarios []ScenarioResult `json:"scenarios"`

	Latency     LatencySummary `json:"latency"`
	CatalogBad  []string       `json:"catalog_errors,omitempty"`
	CatalogRead int            `json:"catalog_records"`
}

// LatencySummary sums up the time of every turn, in milliseconds.
type LatencySummary struct {
	Turns int     `json:"turns"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Mean  float64 `json:"mean_ms"`
}

// ScenarioResult is one scenario's outcome.
type ScenarioResult struct {
	ID    string    `json:"id"`
	Pass  bool      `json:"pass"`
	Diff  string    `json:"diff"`
	Turns []TurnLog `json:"turns"`
	State EndState  `json:"state"`
	Note  string    `json:"note,omitempty"`
	Error string    `json:"error,omitempty"`
}

// TurnLog is one turn: the user's line, the reply as text, and extras.
type TurnLog struct {
	User      string  `json:"user"`
	Reply     string  `json:"reply"`
	Intent    string  `json:"intent,omitempty"`
	LatencyMs float64 `json:"latency_ms"`
}

// EndState is the user's records at the end, in the fields of "expect"
// (draft orders left out).
type EndState struct {
	Orders        []StateOrder        `json:"orders"`
	Bookings      []StateBooking      `json:"bookings"`
	Payments      []StatePayment      `json:"payments"`
	Complaints    []StateComplaint    `json:"complaints"`
	Subscriptions []StateSubscription `json:"subscriptions"`
}

// StateOrder is an order of the end state.
type StateOrder struct {
	MerchantID string      `json:"merchant_id"`
	Status     string      `json:"status"`
	Total      int64       `json:"total"`
	Items      []StateLine `json:"items"`
}

// StateLine is an order line of the end state.
type StateLine struct {
	MenuItemID string   `json:"menu_item_id"`
	Quantity   int      `json:"quantity"`
	Options    []string `json:"options"`
}

// StateBooking is a booking of the end state.
type StateBooking struct {
	SessionID   string `json:"session_id"`
	SeatGrade   string `json:"seat_grade"`
	TicketCount int    `json:"ticket_count"`
	Status      string `json:"status"`
	Total       int64  `json:"total"`
}

// StatePayment is a payment of the end state.
type StatePayment struct {
	Method string `json:"method"`
	Amount int64  `json:"amount"`
	Status string `json:"status"`
}

// StateComplaint is a complaint of the end state.
type StateComplaint struct {
	Type   string `json:"type"`
	Status string `json:"status"`
}

// StateSubscription is a channel the user has added.
type StateSubscription struct {
	ChannelID string `json:"channel_id"`
}

// ReadScenarios reads one scenario a line; blank lines and lines starting
// with # are skipped. A bad line is an error naming its line number.
func ReadScenarios(r io.Reader) ([]Scenario, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	var out []Scenario
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var s Scenario
		if err := dec.Decode(&s); err != nil {
			return nil, fmt.Errorf("scenarios line %d: %w", n, err)
		}
		switch {
		case s.ID == "":
			return nil, fmt.Errorf("scenarios line %d: id is required", n)
		case s.User.ID == "":
			return nil, fmt.Errorf("scenarios line %d: %s: user.id is required", n, s.ID)
		case s.RefTime.IsZero():
			return nil, fmt.Errorf("scenarios line %d: %s: ref_time is required", n, s.ID)
		case len(s.Turns) == 0:
			return nil, fmt.Errorf("scenarios line %d: %s: turns are required", n, s.ID)
		}
		if prev, ok := seen[s.ID]; ok {
			return nil, fmt.Errorf("scenarios line %d: id %s already used on line %d", n, s.ID, prev)
		}
		seen[s.ID] = n
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	return out, nil
}

// DialogueRunner runs scenarios against a catalog. Build it once with
// NewDialogueRunner: the catalog is read and the parser trained once, and
// every scenario then gets a fresh store.
type DialogueRunner struct {
	catalog  []byte
	bad      []string
	records  int
	pipeline *nlu.Pipeline
	// TurnStep is how far the clock moves after each turn (5 s when 0).
	TurnStep time.Duration
}

// NewDialogueRunner reads a JSONL catalog, noting its bad lines, and
// builds the parser over it.
func NewDialogueRunner(catalogJSONL []byte) (*DialogueRunner, error) {
	rd := catalog.NewReader(bytes.NewReader(catalogJSONL), catalog.FormatJSONL)
	var (
		ms  []*sodam.Merchant
		its []*sodam.MenuItem
		evs []*sodam.Event
		bad []string
		n   int
	)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var le *catalog.LineError
			if errors.As(err, &le) {
				bad = append(bad, le.Error())
				continue
			}
			return nil, fmt.Errorf("catalog: %w", err)
		}
		n++
		switch {
		case rec.Merchant != nil:
			ms = append(ms, rec.Merchant)
		case rec.MenuItem != nil:
			its = append(its, rec.MenuItem)
		case rec.Event != nil:
			evs = append(evs, rec.Event)
		}
	}
	cls, err := nlu.TrainClassifier(TrainingSet())
	if err != nil {
		return nil, fmt.Errorf("evals: train classifier: %w", err)
	}
	return &DialogueRunner{
		catalog:  catalogJSONL,
		bad:      bad,
		records:  n,
		pipeline: nlu.NewPipeline(cls, nlu.NewCatalog(ms, its, evs)),
	}, nil
}

// CatalogErrors returns the bad lines of the catalog.
func (d *DialogueRunner) CatalogErrors() []string { return d.bad }

// Run runs every scenario in order and scores it.
func (d *DialogueRunner) Run(ctx context.Context, scenarios []Scenario) (*DialogueReport, error) {
	rep := &DialogueReport{Total: len(scenarios), CatalogBad: d.bad, CatalogRead: d.records}
	var lat []time.Duration
	for _, s := range scenarios {
		res, l, err := d.RunOne(ctx, s)
		if err != nil {
			return nil, err
		}
		lat = append(lat, l...)
		if res.Pass {
			rep.Passed++
		}
		rep.Scenarios = append(rep.Scenarios, *res)
	}
	if rep.Total > 0 {
		rep.PassRate = float64(rep.Passed) / float64(rep.Total)
	}
	rep.Latency = summarize(lat)
	return rep, nil
}

// stepClock is a clock that a scenario moves forward turn by turn.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Harness is one scenario's world: a fresh store with the catalog, the
// sandbox payment provider, the tools and the assistant.
type Harness struct {
	Store     *memstore.Store
	Assistant *assistant.Assistant
	clock     *stepClock
	tools     *tools.Toolbox
	pipeline  *nlu.Pipeline
}

// NewAssistant returns another assistant over the same store and tools,
// as a restarted server would have.
func (h *Harness) NewAssistant() *assistant.Assistant {
	return assistant.New(h.tools, h.pipeline, h.Store, h.clock, assistant.WithRecords(h.Store))
}

// NewHarness builds a fresh world at ref with the catalog loaded.
func (d *DialogueRunner) NewHarness(ctx context.Context, ref time.Time) (*Harness, error) {
	clock := &stepClock{now: ref.In(sodam.Seoul)}
	st := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(0)), clock)
	in := &catalog.Ingester{Store: st}
	if _, err := in.Ingest(ctx, bytes.NewReader(d.catalog), catalog.FormatJSONL); err != nil {
		return nil, fmt.Errorf("evals: load catalog: %w", err)
	}
	pay := sandboxpay.New("http://sandbox.invalid", clock)
	tb := tools.New(st, st, pay, clock, tools.WithPlaces(retrieval.LookupPlace))
	a := assistant.New(tb, d.pipeline, st, clock, assistant.WithRecords(st))
	a.Preload(ctx)
	return &Harness{Store: st, Assistant: a, clock: clock, tools: tb, pipeline: d.pipeline}, nil
}

// RunOne runs one scenario and returns its result and turn latencies.
func (d *DialogueRunner) RunOne(ctx context.Context, s Scenario) (*ScenarioResult, []time.Duration, error) {
	return d.runWith(ctx, s, nil)
}

// ReplyText renders a response as plain text: the text, then the list
// rows, card titles and quick replies.
func ReplyText(r *sodam.Response) string {
	var b strings.Builder
	b.WriteString(r.Text)
	if r.List != nil {
		for _, it := range r.List.Items {
			b.WriteString("\n  " + it.Title)
			if it.Description != "" {
				b.WriteString(" · " + it.Description)
			}
		}
	}
	if r.Payment != nil {
		fmt.Fprintf(&b, "\n  [결제하기 %d원] %s", r.Payment.Amount, r.Payment.URL)
	}
	if len(r.QuickReplies) > 0 {
		b.WriteString("\n ")
		for _, q := range r.QuickReplies {
			b.WriteString(" [" + q.Label + "]")
		}
	}
	return b.String()
}

// endState reads the user's records.
func endState(ctx context.Context, st sodam.Store, userID string) (*EndState, error) {
	es := &EndState{Orders: []StateOrder{}, Bookings: []StateBooking{}, Payments: []StatePayment{},
		Complaints: []StateComplaint{}, Subscriptions: []StateSubscription{}}
	orders, err := st.OrdersByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		if o.Status == sodam.OrderDraft {
			continue
		}
		so := StateOrder{MerchantID: o.MerchantID, Status: string(o.Status), Total: o.Total, Items: []StateLine{}}
		for _, l := range o.Items {
			opts := append([]string{}, l.Options...)
			so.Items = append(so.Items, StateLine{MenuItemID: l.MenuItemID, Quantity: l.Quantity, Options: opts})
		}
		es.Orders = append(es.Orders, so)
	}
	bookings, err := st.BookingsByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, b := range bookings {
		es.Bookings = append(es.Bookings, StateBooking{SessionID: b.SessionID, SeatGrade: b.SeatGrade,
			TicketCount: b.TicketCount, Status: string(b.Status), Total: b.Total})
	}
	pays, err := st.PaymentsByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, p := range pays {
		es.Payments = append(es.Payments, StatePayment{Method: string(p.Method), Amount: p.Amount, Status: string(p.Status)})
	}
	cs, err := st.ComplaintsByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		es.Complaints = append(es.Complaints, StateComplaint{Type: string(c.Type), Status: string(c.Status)})
	}
	u, err := st.User(ctx, userID)
	if err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
		return nil, err
	}
	if u != nil {
		for _, ch := range u.Subscriptions {
			es.Subscriptions = append(es.Subscriptions, StateSubscription{ChannelID: ch})
		}
	}
	return es, nil
}

// compareState returns the first difference between exp and got, or "".
func compareState(exp Expect, got *EndState) string {
	if exp.Orders != nil {
		if d := matchAll("orders", *exp.Orders, got.Orders, orderMatches, true); d != "" {
			return d
		}
	}
	if exp.Bookings != nil {
		if d := matchAll("bookings", *exp.Bookings, got.Bookings, bookingMatches, true); d != "" {
			return d
		}
	}
	if exp.Payments != nil {
		if d := matchAll("payments", *exp.Payments, got.Payments, paymentMatches, true); d != "" {
			return d
		}
	}
	if exp.Complaints != nil {
		if d := matchAll("complaints", *exp.Complaints, got.Complaints, complaintMatches, true); d != "" {
			return d
		}
	}
	if exp.Subscriptions != nil {
		exact := len(*exp.Subscriptions) == 0
		if d := matchAll("subscriptions", *exp.Subscriptions, got.Subscriptions, subscriptionMatches, exact); d != "" {
			return d
		}
	}
	return ""
}

// matchAll matches every expected record to a distinct actual one (by
// backtracking: the lists are short) and, when exact, allows no record
// left over.
func matchAll[E, G any](kind string, exp []E, got []G, match func(E, G) bool, exact bool) string {
	used := make([]bool, len(got))
	var assign func(i int) bool
	assign = func(i int) bool {
		if i == len(exp) {
			return true
		}
		for j := range got {
			if !used[j] && match(exp[i], got[j]) {
				used[j] = true
				if assign(i + 1) {
					return true
				}
				used[j] = false
			}
		}
		return false
	}
	if !assign(0) {
		// Name the first expected record that finds no partner alone.
		for _, e := range exp {
			found := false
			for _, g := range got {
				if match(e, g) {
					found = true
					break
				}
			}
			if !found {
				return fmt.Sprintf("%s: expected %s, got %s", kind, compactJSON(e), compactJSON(got))
			}
		}
		return fmt.Sprintf("%s: expected %s cannot all be matched to distinct records, got %s", kind, compactJSON(exp), compactJSON(got))
	}
	if exact && len(got) > len(exp) {
		var extra []G
		for j, g := range got {
			if !used[j] {
				extra = append(extra, g)
			}
		}
		return fmt.Sprintf("%s: %d unexpected: %s", kind, len(extra), compactJSON(extra))
	}
	return ""
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func strEq(want *string, got string) bool { return want == nil || *want == got }

func orderMatches(e ExpectOrder, g StateOrder) bool {
	if !strEq(e.MerchantID, g.MerchantID) || !strEq(e.Status, g.Status) || (e.Total != nil && *e.Total != g.Total) {
		return false
	}
	if e.Items == nil {
		return true
	}
	want := *e.Items
	if len(want) != len(g.Items) {
		return false
	}
	used := make([]bool, len(g.Items))
	for _, w := range want {
		found := false
		for j, l := range g.Items {
			if used[j] || l.MenuItemID != w.MenuItemID || l.Quantity != w.Quantity {
				continue
			}
			if w.Options != nil && !sameSet(*w.Options, l.Options) {
				continue
			}
			used[j], found = true, true
			break
		}
		if !found {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := slices.Sorted(slices.Values(a))
	y := slices.Sorted(slices.Values(b))
	return slices.Equal(x, y)
}

func bookingMatches(e ExpectBooking, g StateBooking) bool {
	return strEq(e.SessionID, g.SessionID) &&
		(e.SeatGrade == nil || sodam.NormalizeGrade(*e.SeatGrade) == sodam.NormalizeGrade(g.SeatGrade)) &&
		(e.TicketCount == nil || *e.TicketCount == g.TicketCount) &&
		strEq(e.Status, g.Status) && (e.Total == nil || *e.Total == g.Total)
}

func paymentMatches(e ExpectPayment, g StatePayment) bool {
	return strEq(e.Method, g.Method) && (e.Amount == nil || *e.Amount == g.Amount) && strEq(e.Status, g.Status)
}

func complaintMatches(e ExpectComplaint, g StateComplaint) bool {
	return strEq(e.Type, g.Type) && strEq(e.Status, g.Status)
}

func subscriptionMatches(e ExpectSubscription, g StateSubscription) bool {
	return strEq(e.ChannelID, g.ChannelID)
}

// summarize computes latency figures in milliseconds.
func summarize(ds []time.Duration) LatencySummary {
	if len(ds) == 0 {
		return LatencySummary{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	q := func(p float64) float64 {
		i := int(p*float64(len(s))+0.5) - 1
		i = max(0, min(i, len(s)-1))
		return ms(s[i])
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return LatencySummary{Turns: len(s), P50: q(0.5), P90: q(0.9), P99: q(0.99), Max: ms(s[len(s)-1]),
		Mean: ms(sum / time.Duration(len(s)))}
}

// WriteTable writes one line per scenario, with the first difference of
// each failure, and the pass rate.
func (rep *DialogueReport) WriteTable(w io.Writer) error {
	for _, line := range rep.CatalogBad {
		if _, err := fmt.Fprintf(w, "catalog: %s\n", line); err != nil {
			return err
		}
	}
	for _, s := range rep.Scenarios {
		mark := "PASS"
		if !s.Pass {
			mark = "FAIL"
		}
		line := fmt.Sprintf("%s %s", mark, s.ID)
		if !s.Pass {
			line += "  " + s.Diff
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "passed %d of %d (%.1f%%); turn latency p50 %.3f ms, p99 %.3f ms over %d turns\n",
		rep.Passed, rep.Total, rep.PassRate*100, rep.Latency.P50, rep.Latency.P99, rep.Latency.Turns)
	return err
}
