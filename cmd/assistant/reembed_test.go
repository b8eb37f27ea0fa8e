package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// ingest --reembed moves a catalog from the built-in embedder to an
// OpenAI-compatible one: serving with the new embedder is refused before
// and works after.
func TestIngestReembed(t *testing.T) {
	dbURL := scratchDatabase(t)
	ctx := context.Background()
	none := func(string) string { return "" }
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"ingest", "--file", "../../evals/testdata/catalog.jsonl", "--database-url", dbURL}, none, nil, &out, &errb); err != nil {
		t.Fatalf("ingest: %v (%s)", err, errb.String())
	}

	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Input []string `json:"input"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		data := make([]map[string]any, len(body.Input))
		for i, s := range body.Input {
			v := make([]float64, 16)
			for k, c := range []rune(s) {
				v[(int(c)+k)%16]++
			}
			data[i] = map[string]any{"index": i, "embedding": v}
		}
		json.NewEncoder(w).Encode(map[string]any{"data": data})
	}))
	defer fake.Close()
	getenv := func(k string) string {
		return map[string]string{"SODAM_EMBED_MODEL": "emb-1", "SODAM_EMBED_BASE_URL": fake.URL, "SODAM_EMBED_DIM": "16"}[k]
	}

	err := run(ctx, []string{"ingest", "--file", "../../evals/testdata/catalog.jsonl", "--database-url", dbURL}, getenv, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--reembed") {
		t.Fatalf("ingest with a new embedder before reembedding: err = %v, want a hint to --reembed", err)
	}
	out.Reset()
	errb.Reset()
	if err := run(ctx, []string{"ingest", "--reembed", "--database-url", dbURL}, getenv, nil, &out, &errb); err != nil {
		t.Fatalf("reembed: %v (%s)", err, errb.String())
	}
	if !strings.Contains(out.String(), "reembedded the catalog") || !strings.Contains(errb.String(), "reembed:") {
		t.Errorf("reembed output %q / %q", out.String(), errb.String())
	}
	out.Reset()
	if err := run(ctx, []string{"ingest", "--file", "../../evals/testdata/catalog.jsonl", "--database-url", dbURL}, getenv, nil, &out, &errb); err != nil {
		t.Fatalf("ingest after reembed: %v (%s)", err, errb.String())
	}
}
