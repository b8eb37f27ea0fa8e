package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/openai"
)

// fakeEmbeddings is a /v1/embeddings endpoint: the vector of a text is
// its length and 1 in the first two dimensions. It answers 429 to the
// requests listed in busy (by count, from 1).
type fakeEmbeddings struct {
	mu       sync.Mutex
	requests []map[string]any
	busy     map[int]bool
	dim      int
}

func (f *fakeEmbeddings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/embeddings" {
		http.NotFound(w, r)
		return
	}
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	f.requests = append(f.requests, body)
	n := len(f.requests)
	f.mu.Unlock()
	if f.busy[n] {
		w.Header().Set("Retry-After", "0")
		http.Error(w, `{"error":{"message":"slow down"}}`, http.StatusTooManyRequests)
		return
	}
	in, _ := body["input"].([]any)
	data := make([]map[string]any, len(in))
	for i, t := range in {
		v := make([]float64, f.dim)
		v[0], v[1] = float64(len([]rune(t.(string)))), 1
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": body["model"]})
}

func TestEmbedder(t *testing.T) {
	fake := &fakeEmbeddings{dim: 8, busy: map[int]bool{2: true}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	e, err := openai.NewEmbedder(openai.Config{BaseURL: srv.URL, Model: "emb-1", Backoff: time.Millisecond}, 8)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 300)
	for i := range texts {
		texts[i] = fmt.Sprintf("메뉴 %d", i)
	}
	texts[7] = "" // no request for an empty text
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(vs), len(texts))
	}
	for i, v := range vs {
		if len(v) != 8 {
			t.Fatalf("vector %d has %d dimensions", i, len(v))
		}
		if i == 7 {
			if v[0] != 0 || v[1] != 0 {
				t.Errorf("empty text got %v, want the zero vector", v)
			}
			continue
		}
		n := math.Hypot(float64(v[0]), float64(v[1]))
		if math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has norm %v, want 1", i, n)
		}
		// The first component tells which text it was made from.
		want := float64(len([]rune(texts[i]))) / math.Hypot(float64(len([]rune(texts[i]))), 1)
		if math.Abs(float64(v[0])-want) > 1e-5 {
			t.Errorf("vector %d is for another text", i)
		}
	}
	// 299 texts in batches of 128: 3 requests, plus the one refused with 429.
	if len(fake.requests) != 4 {
		t.Errorf("%d requests, want 4 (3 batches and a retry)", len(fake.requests))
	}
	if got := fake.requests[0]["dimensions"]; got != float64(8) {
		t.Errorf("dimensions sent = %v, want 8", got)
	}
	if got := fake.requests[0]["model"]; got != "emb-1" {
		t.Errorf("model sent = %v, want emb-1", got)
	}
	if e.Name() != "openai:emb-1" || e.Dim() != 8 {
		t.Errorf("Name, Dim = %q, %d", e.Name(), e.Dim())
	}
}

func TestEmbedderErrors(t *testing.T) {
	fake := &fakeEmbeddings{dim: 4}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	e, err := openai.NewEmbedder(openai.Config{BaseURL: srv.URL, Model: "emb-1", MaxRetries: -1}, 8)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(context.Background(), []string{"치킨"}); !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("wrong dimension from the endpoint: err = %v, want unavailable", err)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	e, _ = openai.NewEmbedder(openai.Config{BaseURL: down.URL, Model: "emb-1", MaxRetries: -1}, 8)
	if _, err := e.Embed(context.Background(), []string{"치킨"}); !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("endpoint down: err = %v, want unavailable", err)
	}
	for _, tc := range []struct {
		name string
		cfg  openai.Config
		dim  int
	}{
		{"no url", openai.Config{Model: "m"}, 8},
		{"no model", openai.Config{BaseURL: "http://x"}, 8},
		{"no dim", openai.Config{BaseURL: "http://x", Model: "m"}, 0},
	} {
		if _, err := openai.NewEmbedder(tc.cfg, tc.dim); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
