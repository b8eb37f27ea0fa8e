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
	"strings"

	"github.com/sodam-ai/sodam"
)

// Depths of the retrieval figures: recall is measured in the first
// recallDepth hits, the reciprocal rank in the first rankDepth.
const (
	recallDepth = 5
	rankDepth   = 10
)

// SearchQuery is one labelled search of the retrieval test set: what a
// user typed, the kind of record looked for, and every record a person
// would accept as a correct answer (Gold). Category and Near, when set,
// are passed to the search as its filter and point.
type SearchQuery struct {
	ID       string           `json:"id"`
	Query    string           `json:"query"`
	Kind     sodam.SearchKind `json:"kind"`
	Gold     []string         `json:"gold"`
	Category string           `json:"category,omitempty"`
	Near     *sodam.Point     `json:"near,omitempty"`
	Note     string           `json:"note,omitempty"`
}

// ReadSearchQueries parses labelled searches, one JSON object a line;
// blank lines are skipped. An error names the line it is on. Every query
// needs an id (unique), a text, a known kind and at least one gold id.
func ReadSearchQueries(r io.Reader) ([]SearchQuery, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		out  []SearchQuery
		seen = map[string]int{}
		line int
	)
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var q SearchQuery
		if err := json.Unmarshal(b, &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := q.check(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if first, dup := seen[q.ID]; dup {
			return nil, fmt.Errorf("line %d: id %q already used on line %d", line, q.ID, first)
		}
		seen[q.ID] = line
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return out, nil
}

func (q *SearchQuery) check() error {
	switch {
	case q.ID == "":
		return fmt.Errorf("no id")
	case strings.TrimSpace(q.Query) == "":
		return fmt.Errorf("%s: no query", q.ID)
	case len(q.Gold) == 0:
		return fmt.Errorf("%s: no gold ids", q.ID)
	}
	switch q.Kind {
	case sodam.KindMerchant, sodam.KindMenuItem, sodam.KindEvent:
	default:
		return fmt.Errorf("%s: unknown kind %q (want merchant, menu_item or event)", q.ID, q.Kind)
	}
	for _, g := range q.Gold {
		if g == "" {
			return fmt.Errorf("%s: empty gold id", q.ID)
		}
	}
	return nil
}

// searchModes are the rankings EvalSearch measures, in report order.
var searchModes = [...]sodam.SearchMode{sodam.SearchHybrid, sodam.SearchVector, sodam.SearchKeyword}

// ModeName is the printed name of a search mode: "hybrid" for the fused
// default.
func ModeName(m sodam.SearchMode) string {
	if m == sodam.SearchHybrid {
		return "hybrid"
	}
	return string(m)
}

// SearchScores are retrieval figures averaged over a set of queries.
//
// RecallAt5 is the share of a query's gold ids among its first 5 hits,
// divided by min(5, number of gold ids) so that a query with many correct
// answers can reach 1. MRR is the mean of 1/rank of the first gold hit in
// the first 10 (0 when none). HitAt1 is the share of queries whose first
// hit is gold.
type SearchScores struct {
	Queries   int     `json:"queries"`
	RecallAt5 float64 `json:"recall_at_5"`
	MRR       float64 `json:"mrr"`
	HitAt1    float64 `json:"hit_at_1"`
}

func (s *SearchScores) add(o QueryResult) {
	s.Queries++
	s.RecallAt5 += o.RecallAt5
	if o.Rank > 0 {
		s.MRR += 1 / float64(o.Rank)
	}
	if o.Rank == 1 {
		s.HitAt1++
	}
}

func (s *SearchScores) finish() {
	if s.Queries == 0 {
		return
	}
	n := float64(s.Queries)
	s.RecallAt5 /= n
	s.MRR /= n
	s.HitAt1 /= n
}

// QueryResult is how one query fared in one mode: the rank of its first
// gold hit in the first 10 (0 for none), its recall at 5 and the ids
// returned. Err is set when the search failed; the query then scores 0.
type QueryResult struct {
	ID        string   `json:"id"`
	Query     string   `json:"query"`
	Kind      string   `json:"kind"`
	Rank      int      `json:"rank"`
	RecallAt5 float64  `json:"recall_at_5"`
	Hits      []string `json:"hits"`
	Err       string   `json:"error,omitempty"`
}

// ModeReport holds the figures of one search mode, overall and by kind,
// and each query's result.
type ModeReport struct {
	Mode    string                            `json:"mode"`
	Overall SearchScores                      `json:"overall"`
	Kinds   map[sodam.SearchKind]SearchScores `json:"kinds"`
	Queries []QueryResult                     `json:"queries"`
}

// SearchReport is the result of EvalSearch: one ModeReport for each of
// hybrid, vector and keyword, in that order.
type SearchReport struct {
	Count  int          `json:"count"`
	Modes  []ModeReport `json:"modes"`
	Errors int          `json:"errors"`
}

// Mode returns the report of a mode, or nil.
func (r *SearchReport) Mode(m sodam.SearchMode) *ModeReport {
	name := ModeName(m)
	for i := range r.Modes {
		if r.Modes[i].Mode == name {
			return &r.Modes[i]
		}
	}
	return nil
}

// CheckHybrid reports whether the hybrid ranking beats vectors alone and
// keywords alone on both recall@5 and MRR, reaches floor on recall@5 and
// ran every search; the error lists every shortfall.
func (r *SearchReport) CheckHybrid(floor float64) error {
	h := r.Mode(sodam.SearchHybrid)
	if h == nil {
		return fmt.Errorf("no hybrid figures")
	}
	var bad []string
	for _, m := range []sodam.SearchMode{sodam.SearchVector, sodam.SearchKeyword} {
		o := r.Mode(m)
		if o == nil {
			bad = append(bad, "no "+ModeName(m)+" figures")
			continue
		}
		if h.Overall.RecallAt5 <= o.Overall.RecallAt5 {
			bad = append(bad, fmt.Sprintf("recall@5: hybrid %.3f does not beat %s %.3f", h.Overall.RecallAt5, o.Mode, o.Overall.RecallAt5))
		}
		if h.Overall.MRR <= o.Overall.MRR {
			bad = append(bad, fmt.Sprintf("MRR: hybrid %.3f does not beat %s %.3f", h.Overall.MRR, o.Mode, o.Overall.MRR))
		}
	}
	if h.Overall.RecallAt5 < floor {
		bad = append(bad, fmt.Sprintf("hybrid recall@5 %.3f is under %.3f", h.Overall.RecallAt5, floor))
	}
	if r.Errors > 0 {
		bad = append(bad, fmt.Sprintf("%d searches failed", r.Errors))
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// EvalSearch runs every query through s in each mode (hybrid, vector
// alone, keywords alone) with a limit of 10 hits and scores the hits
// against the gold ids. A failed search scores 0 and is counted in
// Errors; it does not stop the evaluation, but a cancelled context does
// make every later search fail.
func EvalSearch(ctx context.Context, s sodam.Searcher, queries []SearchQuery) *SearchReport {
	rep := &SearchReport{Count: len(queries)}
	for _, mode := range searchModes {
		mr := ModeReport{Mode: ModeName(mode), Kinds: map[sodam.SearchKind]SearchScores{}}
		for _, q := range queries {
			res := runSearch(ctx, s, q, mode)
			if res.Err != "" {
				rep.Errors++
			}
			mr.Overall.add(res)
			k := mr.Kinds[q.Kind]
			k.add(res)
			mr.Kinds[q.Kind] = k
			mr.Queries = append(mr.Queries, res)
		}
		mr.Overall.finish()
		for k, v := range mr.Kinds {
			v.finish()
			mr.Kinds[k] = v
		}
		rep.Modes = append(rep.Modes, mr)
	}
	return rep
}

// runSearch runs and scores one query in one mode.
func runSearch(ctx context.Context, s sodam.Searcher, q SearchQuery, mode sodam.SearchMode) QueryResult {
	res := QueryResult{ID: q.ID, Query: q.Query, Kind: string(q.Kind)}
	hits, err := s.Search(ctx, sodam.SearchQuery{
		Kind:     q.Kind,
		Text:     q.Query,
		Category: q.Category,
		Near:     q.Near,
		Limit:    rankDepth,
		Mode:     mode,
	})
	if err != nil {
		res.Err = err.Error()
		return res
	}
	gold := make(map[string]bool, len(q.Gold))
	for _, g := range q.Gold {
		gold[g] = true
	}
	found := 0
	for i, h := range hits[:min(len(hits), rankDepth)] {
		res.Hits = append(res.Hits, h.ID)
		if !gold[h.ID] {
			continue
		}
		if res.Rank == 0 {
			res.Rank = i + 1
		}
		if i < recallDepth {
			found++
		}
	}
	res.RecallAt5 = float64(found) / float64(min(recallDepth, len(gold)))
	return res
}

// WriteTable prints recall@5, MRR and hit@1 for each mode, overall and by
// kind, then the queries whose first hybrid hit is not gold (at most
// maxMisses of them, worst first).
func (r *SearchReport) WriteTable(w io.Writer, maxMisses int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "search: %d queries", r.Count)
	if r.Errors > 0 {
		fmt.Fprintf(&b, ", %d failed searches", r.Errors)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "%-8s %-10s %5s %9s %6s %6s\n", "mode", "kind", "n", "recall@5", "MRR", "hit@1")
	kinds := []sodam.SearchKind{sodam.KindMerchant, sodam.KindMenuItem, sodam.KindEvent}
	for _, m := range r.Modes {
		row := func(kind string, s SearchScores) {
			fmt.Fprintf(&b, "%-8s %-10s %5d %9.3f %6.3f %6.3f\n", m.Mode, kind, s.Queries, s.RecallAt5, s.MRR, s.HitAt1)
		}
		row("all", m.Overall)
		for _, k := range kinds {
			if s, ok := m.Kinds[k]; ok {
				row(string(k), s)
			}
		}
	}
	if h := r.Mode(sodam.SearchHybrid); h != nil && maxMisses > 0 {
		var misses []QueryResult
		for _, q := range h.Queries {
			if q.Rank != 1 {
				misses = append(misses, q)
			}
		}
		// Worst first: no gold hit at all, then by rank, then by id.
		slices.SortStableFunc(misses, func(a, b QueryResult) int {
			ra, rb := a.Rank, b.Rank
			if ra == 0 {
				ra = rankDepth + 1
			}
			if rb == 0 {
				rb = rankDepth + 1
			}
			return rb - ra
		})
		if len(misses) > 0 {
			fmt.Fprintf(&b, "\nhybrid: first hit not gold in %d queries\n", len(misses))
		}
		for _, q := range misses[:min(len(misses), maxMisses)] {
			rank := "none"
			if q.Rank > 0 {
				rank = fmt.Sprint(q.Rank)
			}
			top := q.Hits[:min(len(q.Hits), 3)]
			fmt.Fprintf(&b, "  %-6s %-10s gold at %-4s %q -> %s\n", q.ID, q.Kind, rank, q.Query, strings.Join(top, " "))
			if q.Err != "" {
				fmt.Fprintf(&b, "         error: %s\n", q.Err)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
