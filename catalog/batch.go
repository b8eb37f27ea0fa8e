package catalog

import (
	"context"
	"fmt"

	"github.com/sodam-ai/sodam"
)

// pending is the batch an ingest into a sodam.CatalogBatcher collects.
type pending struct {
	store sodam.CatalogBatcher
	batch sodam.CatalogBatch
	recs  []pendingRecord     // the batch's records in file order
	ids   map[string]struct{} // kind and id of every record in the batch
}

type pendingRecord struct {
	rec  Record
	line int
}

// addToBatch adds rec to the pending batch and writes the batch when it is
// full. A record whose id is already in the batch first writes the batch,
// so that a batch never holds one id twice.
func (run *ingestRun) addToBatch(ctx context.Context, store sodam.CatalogBatcher, rec Record) error {
	p := &run.pending
	p.store = store
	run.sum.Batched = true
	key := rec.Kind + "\x00" + rec.ID()
	if _, dup := p.ids[key]; dup {
		if err := run.flush(ctx); err != nil {
			return err
		}
	}
	if p.ids == nil {
		p.ids = make(map[string]struct{})
	}
	p.ids[key] = struct{}{}
	p.recs = append(p.recs, pendingRecord{rec, run.rd.Line()})
	switch rec.Kind {
	case KindMerchant:
		p.batch.Merchants = append(p.batch.Merchants, rec.Merchant)
		run.merchants[rec.Merchant.ID] = struct{}{}
	case KindMenuItem:
		p.batch.MenuItems = append(p.batch.MenuItems, rec.MenuItem)
	case KindEvent:
		p.batch.Events = append(p.batch.Events, rec.Event)
		run.events[rec.Event.ID] = struct{}{}
	case KindSession:
		p.batch.Sessions = append(p.batch.Sessions, rec.Session)
	}
	size := run.in.BatchSize
	if size == 0 {
		size = 1000
	}
	if len(p.recs) >= size {
		return run.flush(ctx)
	}
	return nil
}

// flush writes the pending batch. When the store refuses it for one of
// its records, the records are written one by one so that each bad line
// is reported and the good ones are still stored. Only an error that is
// not about a record (the store is down) is returned.
func (run *ingestRun) flush(ctx context.Context) error {
	p := &run.pending
	if len(p.recs) == 0 {
		return nil
	}
	defer func() {
		clear(p.recs) // let the records go
		p.recs = p.recs[:0]
		p.batch = sodam.CatalogBatch{}
		clear(p.ids)
	}()
	err := p.store.UpsertBatch(ctx, &p.batch)
	if err == nil {
		for _, pr := range p.recs {
			run.count(pr.rec.Kind, false)
		}
		return nil
	}
	if !refused(err) {
		return fmt.Errorf("writing a batch of %d records: %w", len(p.recs), err)
	}
	for _, pr := range p.recs {
		unchanged, err := upsert(ctx, run.in.Store, pr.rec)
		switch {
		case err == nil:
			run.count(pr.rec.Kind, unchanged)
		case refused(err):
			run.fail(&LineError{Line: pr.line, Kind: pr.rec.Kind, ID: pr.rec.ID(), Err: fmt.Errorf("store refused it: %w", err)}, true)
		default:
			return fmt.Errorf("line %d: %s %s: %w", pr.line, pr.rec.Kind, pr.rec.ID(), err)
		}
	}
	return nil
}

// refused reports whether err is the store refusing a record, as opposed
// to failing.
func refused(err error) bool {
	switch sodam.ErrorCode(err) {
	case sodam.EINVALID, sodam.ENOTFOUND, sodam.ECONFLICT:
		return true
	}
	return false
}

// count adds a stored record to the summary.
func (run *ingestRun) count(kind string, unchanged bool) {
	c := run.sum.Kinds[kind]
	if unchanged {
		c.Unchanged++
	} else {
		c.Ingested++
	}
	run.sum.Kinds[kind] = c
}
