package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/evals"
	"github.com/sodam-ai/sodam/retrieval"
)

// searchEvalRef is the clock of the store an evaluation searches: the
// reference day of the evaluation catalog.
var searchEvalRef = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// cmdEvalSearch measures retrieval on labelled queries:
//
//	assistant eval search [--catalog FILE] [--queries FILE] [--database-url URL] [--json OUT.json] [--misses N]
//
// The catalog (default: the evaluation catalog) is loaded into a fresh
// embedded store or, with --database-url, into a fresh schema of that
// PostgreSQL, dropped afterwards; $DATABASE_URL is not used, so that an
// evaluation never touches a database unasked. Every query (default: the
// retrieval test set) runs hybrid, vector-only and keyword-only; the
// command prints recall@5, MRR and hit@1 by mode and kind and, with
// --json, writes the report. Bad input is an error; a low score is not.
func cmdEvalSearch(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("eval search", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	catPath := fs.String("catalog", "", "catalog file, JSONL (default: the evaluation catalog)")
	qPath := fs.String("queries", "", "labelled queries, one JSON object a line (default: the retrieval test set)")
	dbURL := fs.String("database-url", "", "search PostgreSQL in a throwaway schema instead of the embedded store")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	misses := fs.Int("misses", 15, "how many queries whose first hybrid hit is not gold to print")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: eval search takes no arguments, got %q", errUsage, fs.Args())
	}
	cat := evals.EvalCatalog()
	if *catPath != "" {
		b, err := os.ReadFile(*catPath)
		if err != nil {
			return fmt.Errorf("%w: catalog: %v", errUsage, err)
		}
		cat = b
	}
	queries, err := readSearchQueries(*qPath)
	if err != nil {
		return err
	}

	clock := sodam.ClockFunc(func() time.Time { return searchEvalRef })
	var store interface {
		sodam.CatalogStore
		sodam.Searcher
	}
	if *dbURL == "" {
		store = memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(0)), clock)
	} else {
		pg, drop, err := openScratchSchema(ctx, *dbURL, clock)
		if err != nil {
			return fmt.Errorf("eval search: %w", err)
		}
		defer func() {
			if err := drop(); err != nil {
				fmt.Fprintf(e.stderr, "eval search: %v\n", err)
			}
		}()
		store = pg
	}
	if err := evals.LoadCatalog(ctx, store, cat); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	rep := evals.EvalSearch(ctx, store, queries)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("eval search: %w", err)
	}
	if err := rep.WriteTable(e.stdout, *misses); err != nil {
		return err
	}
	if *jsonOut == "" {
		return nil
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("eval search: encode report: %w", err)
	}
	if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("eval search: %w", err)
	}
	return nil
}

// readSearchQueries reads the queries at path, or the embedded test set
// when path is "".
func readSearchQueries(path string) ([]evals.SearchQuery, error) {
	if path == "" {
		qs, err := evals.ReadSearchQueriesSet()
		if err != nil {
			return nil, fmt.Errorf("eval search: %w", err)
		}
		return qs, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: queries: %v", errUsage, err)
	}
	defer f.Close()
	qs, err := evals.ReadSearchQueries(f)
	if err != nil {
		return nil, fmt.Errorf("%w: queries: %s: %v", errUsage, path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%w: queries: %s holds none", errUsage, path)
	}
	return qs, nil
}

// openScratchSchema opens the Postgres store at url in a new schema of its
// own and returns it with a function that closes it and drops the schema.
func openScratchSchema(ctx context.Context, url string, clock sodam.Clock) (*postgres.Store, func() error, error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "eval_search_" + hex.EncodeToString(b)
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	st, err := postgres.Open(octx, postgres.Config{URL: url, Schema: schema, Clock: clock})
	if err != nil {
		// Open may have made the schema before failing.
		postgres.DropSchema(context.WithoutCancel(ctx), url, schema)
		return nil, nil, err
	}
	drop := func() error {
		st.Close()
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := postgres.DropSchema(dctx, url, schema); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	return st, drop, nil
}
