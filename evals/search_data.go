package evals

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
)

// evalCatalogJSONL is the evaluation catalog (contracts.md section 3),
// its dates laid out around 2026-11-24. The search queries' gold ids name
// its records.
//
//go:embed testdata/catalog.jsonl
var evalCatalogJSONL []byte

// searchQueriesJSONL is the retrieval test set over the evaluation
// catalog, one SearchQuery a line.
//
//go:embed testdata/search_queries.jsonl
var searchQueriesJSONL []byte

// EvalCatalog returns a copy of the embedded evaluation catalog, JSONL.
func EvalCatalog() []byte { return slices.Clone(evalCatalogJSONL) }

// ReadSearchQueriesSet parses the embedded retrieval test set.
func ReadSearchQueriesSet() ([]SearchQuery, error) {
	qs, err := ReadSearchQueries(bytes.NewReader(searchQueriesJSONL))
	if err != nil {
		return nil, fmt.Errorf("evals: search queries: %w", err)
	}
	return qs, nil
}

// SearchQueries returns the embedded retrieval test set. Like
// TrainingSet, it panics on a parse error, which the package's tests rule
// out; use ReadSearchQueriesSet to handle the error.
func SearchQueries() []SearchQuery {
	qs, err := ReadSearchQueriesSet()
	if err != nil {
		panic(err)
	}
	return qs
}

// LoadCatalog ingests a JSONL catalog into st. A bad line is an error: a
// retrieval evaluation over part of its catalog would mislead.
func LoadCatalog(ctx context.Context, st sodam.CatalogStore, jsonl []byte) error {
	in := &catalog.Ingester{Store: st}
	sum, err := in.Ingest(ctx, bytes.NewReader(jsonl), catalog.FormatJSONL)
	if err != nil {
		return fmt.Errorf("evals: load catalog: %w", err)
	}
	if len(sum.Errors) > 0 {
		return fmt.Errorf("evals: load catalog: %d bad lines, first: %v", len(sum.Errors), sum.Errors[0])
	}
	return nil
}
