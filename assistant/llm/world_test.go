package llm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/assistant/llm"
	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/openai"
	"github.com/sodam-ai/sodam/connectors/openai/openaitest"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/nlu"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// world is one test's service: the evaluation catalog in a fresh store at
// 2026-11-24 18:00 in Seoul, the sandbox provider, the tools, the dialogue
// manager, a fake model endpoint and the planner over them.
type world struct {
	store   *memstore.Store
	sandbox *sandboxpay.Provider
	tools   *recorder
	dlg     *assistant.Assistant
	srv     *openaitest.Server
	planner *llm.Planner
}

const user = "u-1"

type options struct {
	mode    llm.Mode
	parser  assistant.Parser
	cfg     func(*llm.Config)
	timeout time.Duration
}

func newWorld(t *testing.T, script openaitest.Script, o options) *world {
	t.Helper()
	ctx := context.Background()
	cat, err := os.ReadFile("../../evals/testdata/catalog.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	clock := sodam.ClockFunc(func() time.Time { return time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul) })
	st := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(0)), clock)
	if _, err := (&catalog.Ingester{Store: st}).Ingest(ctx, bytes.NewReader(cat), catalog.FormatJSONL); err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertUser(ctx, &sodam.User{ID: user, Address: "서울 종로구 대학로 12", Lat: 37.5820, Lng: 127.0018}); err != nil {
		t.Fatal(err)
	}
	pay := sandboxpay.New("http://sandbox.invalid", clock)
	tb := tools.New(st, st, pay, clock, tools.WithPlaces(retrieval.LookupPlace))
	dlg := assistant.New(tb, o.parser, st, clock, assistant.WithRecords(st))
	srv := openaitest.NewServer(script)
	t.Cleanup(srv.Close)
	timeout := o.timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	model, err := openai.New(openai.Config{BaseURL: srv.URL, Model: "fake-1", Timeout: timeout,
		Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Toolbox: tb}
	cfg := llm.Config{Mode: o.mode, Clock: clock}
	if cfg.Mode == "" {
		cfg.Mode = llm.ModeLLM
	}
	if o.cfg != nil {
		o.cfg(&cfg)
	}
	p, err := llm.New(dlg, rec, o.parser, model, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &world{store: st, sandbox: pay, tools: rec, dlg: dlg, srv: srv, planner: p}
}

func (w *world) say(t *testing.T, id, text string) *sodam.Response {
	t.Helper()
	r, err := w.planner.Respond(context.Background(), sodam.Turn{UserID: user, Text: text, MessageID: id})
	if err != nil {
		t.Fatalf("Respond(%q): %v", text, err)
	}
	return r
}

// placed returns the user's orders that are not drafts.
func (w *world) placed(t *testing.T) []*sodam.Order {
	t.Helper()
	os, err := w.store.OrdersByUser(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	var out []*sodam.Order
	for _, o := range os {
		if o.Status != sodam.OrderDraft {
			out = append(out, o)
		}
	}
	return out
}

func (w *world) payments(t *testing.T) []*sodam.Payment {
	t.Helper()
	ps, err := w.store.PaymentsByUser(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func (w *world) cart(t *testing.T) *sodam.Order {
	t.Helper()
	out, err := w.tools.GetCart(context.Background(), user, tools.GetCartInput{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Cart
}

// recorder is the planner's toolbox: it passes calls to the real one and
// remembers their names.
type recorder struct {
	*tools.Toolbox
	mu    sync.Mutex
	names []string
}

func (r *recorder) Call(ctx context.Context, userID, name string, args json.RawMessage) (any, error) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
	return r.Toolbox.Call(ctx, userID, name, args)
}

func (r *recorder) called() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.names...)
}

// parserFunc is a parser answering with a fixed reading per text.
type parserFunc func(text string) *nlu.Parse

func (f parserFunc) Parse(text string, _ time.Time) *nlu.Parse { return f(text) }

// call is a shorthand for a scripted tool call.
func call(name, args string) openaitest.Call {
	return openaitest.Call{ID: "call_" + name, Name: name, Arguments: args}
}

func tools1(cs ...openaitest.Call) openaitest.Reply { return openaitest.Reply{ToolCalls: cs} }

func text(s string) openaitest.Reply { return openaitest.Reply{Content: s} }
