package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/sodam-ai/sodam"
)

// Lookup finds records that a file refers to but does not define. Both
// methods return an ENOTFOUND *sodam.Error for a missing record. Every
// sodam.CatalogStore is a Lookup.
type Lookup interface {
	Merchant(ctx context.Context, id string) (*sodam.Merchant, error)
	Event(ctx context.Context, id string) (*sodam.Event, error)
}

// Counts are the records of one kind an ingest has seen.
type Counts struct {
	Read      int64 `json:"read"`      // lines of this kind, good or bad
	Ingested  int64 `json:"ingested"`  // stored (or, in a dry run, that would be stored)
	Unchanged int64 `json:"unchanged"` // already stored exactly so; not written again
	Failed    int64 `json:"failed"`    // bad lines, skipped
}

func (c *Counts) add(o Counts) {
	c.Read += o.Read
	c.Ingested += o.Ingested
	c.Unchanged += o.Unchanged
	c.Failed += o.Failed
}

// Summary reports an ingest.
type Summary struct {
	DryRun bool `json:"dry_run"`
	// Batched tells that the store took the records in batches: it
	// leaves unchanged records as they were but does not say which, so
	// they count as ingested.
	Batched bool `json:"batched"`
	// Kinds holds the counts per kind; lines whose kind could not be read
	// or is unknown count under "".
	Kinds map[string]Counts `json:"kinds"`
	// Errors holds the first MaxErrors bad lines in file order;
	// ErrorsDropped counts the rest.
	Errors        []*LineError  `json:"-"`
	ErrorsDropped int64         `json:"errors_dropped"`
	Lines         int           `json:"lines"`
	Bytes         int64         `json:"bytes"`
	Duration      time.Duration `json:"duration_ns"`
	// IndexBuild is how long the store took to build its search indexes
	// at the end of a bulk load (BulkLoader), part of Duration.
	IndexBuild time.Duration `json:"index_build_ns,omitempty"`
}

// Total sums the counts of every kind.
func (s *Summary) Total() Counts {
	var t Counts
	for _, c := range s.Kinds {
		t.add(c)
	}
	return t
}

// RecordsPerSec is the rate at which lines with a record were read.
func (s *Summary) RecordsPerSec() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Total().Read) / s.Duration.Seconds()
}

// Report writes s for a person: one line per kind and a total.
func (s *Summary) Report(w io.Writer) error {
	verb := "ingested"
	if s.DryRun {
		verb = "would ingest"
	}
	kinds := append([]string(nil), Kinds...)
	if _, ok := s.Kinds[""]; ok {
		kinds = append(kinds, "")
	}
	for _, k := range kinds {
		c := s.Kinds[k]
		name := k
		if name == "" {
			name = "(unknown)"
		}
		if _, err := fmt.Fprintf(w, "%-10s read %d, %s %d, unchanged %d, failed %d\n",
			name, c.Read, verb, c.Ingested, c.Unchanged, c.Failed); err != nil {
			return err
		}
	}
	t := s.Total()
	if _, err := fmt.Fprintf(w, "total      read %d, %s %d, unchanged %d, failed %d in %v (%.0f records/s)\n",
		t.Read, verb, t.Ingested, t.Unchanged, t.Failed, s.Duration.Round(time.Millisecond), s.RecordsPerSec()); err != nil {
		return err
	}
	if s.IndexBuild > 0 {
		if _, err := fmt.Fprintf(w, "(a bulk load: the search indexes were built once at the end, in %v)\n", s.IndexBuild.Round(time.Millisecond)); err != nil {
			return err
		}
	}
	if s.Batched {
		_, err := fmt.Fprintln(w, "(written in batches: records already stored as they are count as ingested; the store leaves them unchanged)")
		return err
	}
	return nil
}

// Ingester checks a catalog file and loads it into a store.
//
// Besides the checks of Reader it checks references: a menu item's
// merchant_id and a session's event_id must name a merchant or event
// defined by a good line earlier in the file, or one that Lookup finds.
// To do so it keeps the ids of the merchants and events it has seen (and
// found), nothing else, so its memory grows with the number of those ids
// (tens of bytes each) and not with the file.
type Ingester struct {
	// Store receives every good record by upsert. Nil makes a dry run:
	// everything is checked and counted, nothing is written.
	Store sodam.CatalogStore
	// Lookup resolves references to records the file does not define.
	// When nil, Store is used; in a dry run without either, every
	// reference must be defined in the file.
	Lookup Lookup

	// Progress, when set, receives progress reports: on a terminal
	// (IsTerminal) one line redrawn in place with \r, elsewhere a plain
	// line every Every records (100,000 when 0). Total is the size of the
	// input in bytes, for a percentage; 0 when unknown.
	Progress   io.Writer
	IsTerminal bool
	Total      int64
	Every      int64

	// OnError, when set, is called with every bad line as it is found,
	// including those beyond MaxErrors.
	OnError func(*LineError)
	// MaxErrors caps Summary.Errors (1000 when 0).
	MaxErrors int

	// BatchSize is how many records go to a store that implements
	// sodam.CatalogBatcher in one UpsertBatch (1000 when 0); a negative
	// size writes record by record. A batch the store refuses is written
	// again record by record, to find and report the bad lines. Batched
	// records count as ingested whether or not they changed.
	BatchSize int

	// Workers is how many goroutines decode JSON lines (GOMAXPROCS when
	// 0, at most 8). Records are still checked and stored one at a time
	// in file order.
	Workers int
}

func (in *Ingester) workers() int {
	if in.Workers > 0 {
		return in.Workers
	}
	return min(runtime.GOMAXPROCS(0), 8)
}

// BulkLoader is implemented by stores that load a large ingest faster
// when told of it first: PostgreSQL builds its vector indexes once at the
// end instead of row by row. BeginBulk is given about how many records
// are coming and returns the function that ends the bulk load, which
// Ingest calls however the ingest ends, or nil when the store loads so
// many records as it loads any.
type BulkLoader interface {
	BeginBulk(ctx context.Context, records int) (end func(context.Context) error, err error)
}

// bytesPerRecord is about how long a catalog line is, to tell from the
// input's size (Total) how many records are coming: a menu item's JSONL
// line is 120-200 bytes.
const bytesPerRecord = 160

// Ingest reads r in the given format ("jsonl" or "csv") and loads every
// good record. Bad lines are reported in the summary and skipped. The
// error is non-nil only when reading fails, the context ends or the store
// fails for another reason than the record itself (a store that is
// unavailable); the summary then tells how far the ingest went.
// Re-ingesting the same file changes nothing: records are upserted by id,
// and those already stored as they are count as unchanged (written in
// batches, see BatchSize, they count as ingested).
func (in *Ingester) Ingest(ctx context.Context, r io.Reader, format string) (*Summary, error) {
	start := time.Now()
	var rd source
	if workers := in.workers(); format == FormatJSONL && workers > 1 {
		pr := newParallelReader(ctx, r, workers)
		defer pr.close()
		rd = pr
	} else {
		rd = NewReader(r, format)
	}
	run := &ingestRun{
		in:        in,
		rd:        rd,
		sum:       &Summary{DryRun: in.Store == nil, Kinds: make(map[string]Counts)},
		merchants: make(map[string]struct{}),
		events:    make(map[string]struct{}),
		lookup:    in.Lookup,
		start:     start,
	}
	if run.lookup == nil && in.Store != nil {
		run.lookup = in.Store
	}
	var endBulk func(context.Context) error
	if bl, ok := in.Store.(BulkLoader); ok && in.Total > 0 && in.BatchSize >= 0 {
		var err error
		if endBulk, err = bl.BeginBulk(ctx, int(in.Total/bytesPerRecord)); err != nil {
			return run.sum, fmt.Errorf("catalog: begin bulk load: %w", err)
		}
	}
	err := run.loop(ctx)
	if endBulk != nil {
		// The indexes are built again whatever became of the ingest.
		t0 := time.Now()
		if eerr := endBulk(context.WithoutCancel(ctx)); eerr != nil {
			err = errors.Join(err, fmt.Errorf("catalog: end bulk load: %w", eerr))
		}
		run.sum.IndexBuild = time.Since(t0)
	}
	run.sum.Lines = rd.Line()
	run.sum.Bytes = rd.BytesRead()
	run.sum.Duration = time.Since(start)
	run.progress(true)
	return run.sum, err
}

// ingestRun is the state of one Ingest call.
type ingestRun struct {
	in        *Ingester
	rd        source
	sum       *Summary
	merchants map[string]struct{} // ids of merchants defined or found
	events    map[string]struct{} // ids of events defined or found
	lookup    Lookup
	start     time.Time
	records   int64
	lastDraw  time.Time
	pending   pending // records for a sodam.CatalogBatcher, not yet written
}

func (run *ingestRun) loop(ctx context.Context) error {
	for {
		if run.records%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := run.rd.Next()
		if err == io.EOF {
			return run.flush(ctx)
		}
		run.records++
		var le *LineError
		if errors.As(err, &le) {
			run.fail(le, false)
			run.progress(false)
			continue
		}
		if err != nil {
			return err
		}
		c := run.sum.Kinds[rec.Kind]
		c.Read++
		run.sum.Kinds[rec.Kind] = c
		if err := run.one(ctx, rec); err != nil {
			if !errors.As(err, &le) {
				return fmt.Errorf("catalog: line %d: %s %s: %w", run.rd.Line(), rec.Kind, rec.ID(), err)
			}
			run.fail(le, true)
		}
		run.progress(false)
	}
}

// one checks the references of rec and stores it, or adds it to the
// batch. A problem with the record is a *LineError; any other error ends
// the ingest.
func (run *ingestRun) one(ctx context.Context, rec Record) error {
	lineErr := func(err error) error {
		return &LineError{Line: run.rd.Line(), Kind: rec.Kind, ID: rec.ID(), Err: err}
	}
	switch rec.Kind {
	case KindMenuItem:
		if err := run.resolve(ctx, run.merchants, rec.MenuItem.MerchantID, "merchant_id"); err != nil {
			return lineErrOr(err, lineErr)
		}
	case KindSession:
		if err := run.resolve(ctx, run.events, rec.Session.EventID, "event_id"); err != nil {
			return lineErrOr(err, lineErr)
		}
	}

	unchanged := false
	if st := run.in.Store; st != nil {
		if b, ok := st.(sodam.CatalogBatcher); ok && run.in.BatchSize >= 0 {
			return run.addToBatch(ctx, b, rec)
		}
		var err error
		unchanged, err = upsert(ctx, st, rec)
		if err != nil {
			if refused(err) {
				return lineErr(fmt.Errorf("store refused it: %w", err))
			}
			return err
		}
	}
	switch rec.Kind {
	case KindMerchant:
		run.merchants[rec.Merchant.ID] = struct{}{}
	case KindEvent:
		run.events[rec.Event.ID] = struct{}{}
	}
	run.count(rec.Kind, unchanged)
	return nil
}

// errRef marks a reference that resolves to nothing.
type errRef struct{ error }

func lineErrOr(err error, lineErr func(error) error) error {
	var ref errRef
	if errors.As(err, &ref) {
		return lineErr(ref.error)
	}
	return err
}

// resolve checks that id is in seen or found by the lookup (then adding
// it to seen). A missing record is an errRef; a failing lookup is
// returned as it is.
func (run *ingestRun) resolve(ctx context.Context, seen map[string]struct{}, id, field string) error {
	if _, ok := seen[id]; ok {
		return nil
	}
	if run.lookup != nil {
		var err error
		if field == "merchant_id" {
			_, err = run.lookup.Merchant(ctx, id)
		} else {
			_, err = run.lookup.Event(ctx, id)
		}
		switch {
		case err == nil:
			seen[id] = struct{}{}
			return nil
		case !sodam.IsCode(err, sodam.ENOTFOUND):
			return fmt.Errorf("looking up %s %s: %w", field, id, err)
		}
	}
	where := "earlier in the file"
	if run.lookup != nil {
		where = "earlier in the file or in the store"
	}
	return errRef{fmt.Errorf("%s %s is not defined %s", field, id, where)}
}

// fail records a bad line. read tells whether the line was already
// counted as read (a record that failed its references or the store).
func (run *ingestRun) fail(le *LineError, read bool) {
	key := le.Kind
	if !isKind(key) {
		key = ""
	}
	c := run.sum.Kinds[key]
	c.Failed++
	if !read {
		c.Read++
	}
	run.sum.Kinds[key] = c
	if len(run.sum.Errors) < run.in.maxErrors() {
		run.sum.Errors = append(run.sum.Errors, le)
	} else {
		run.sum.ErrorsDropped++
	}
	if run.in.OnError != nil {
		run.in.OnError(le)
	}
}

func isKind(k string) bool {
	switch k {
	case KindMerchant, KindMenuItem, KindEvent, KindSession:
		return true
	}
	return false
}

func (in *Ingester) maxErrors() int {
	if in.MaxErrors > 0 {
		return in.MaxErrors
	}
	return 1000
}

// upsert stores rec unless the store holds it exactly so already, and
// reports whether it did not need to.
func upsert(ctx context.Context, st sodam.CatalogStore, rec Record) (unchanged bool, err error) {
	switch rec.Kind {
	case KindMerchant:
		old, err := st.Merchant(ctx, rec.Merchant.ID)
		if err == nil && sameMerchant(old, rec.Merchant) {
			return true, nil
		}
		if err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
			return false, err
		}
		return false, st.UpsertMerchant(ctx, rec.Merchant)
	case KindMenuItem:
		old, err := st.MenuItem(ctx, rec.MenuItem.ID)
		if err == nil && sameMenuItem(old, rec.MenuItem) {
			return true, nil
		}
		if err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
			return false, err
		}
		return false, st.UpsertMenuItem(ctx, rec.MenuItem)
	case KindEvent:
		old, err := st.Event(ctx, rec.Event.ID)
		if err == nil && sameEvent(old, rec.Event) {
			return true, nil
		}
		if err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
			return false, err
		}
		return false, st.UpsertEvent(ctx, rec.Event)
	case KindSession:
		old, err := st.Session(ctx, rec.Session.ID)
		if err == nil && sameSession(old, rec.Session) {
			return true, nil
		}
		if err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
			return false, err
		}
		return false, st.UpsertSession(ctx, rec.Session)
	}
	return false, fmt.Errorf("unknown kind %q", rec.Kind)
}
