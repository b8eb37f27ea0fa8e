package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/catalog/demo"
	"github.com/sodam-ai/sodam/evals"
	"github.com/sodam-ai/sodam/nlu"
)

// cmdNLU parses text into intent and slots:
//
//	assistant nlu [--ref-time RFC3339] [--catalog FILE] [TEXT]
//
// It parses TEXT, or each line of standard input when TEXT is absent, and
// prints one JSON object a line: text, intent, confidence and slots as in
// contracts.md section 2, then the catalog links, entities, removals,
// ordinal and correction flag under names of their own.
func cmdNLU(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("nlu", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	refFlag := fs.String("ref-time", "", "reference time for relative dates, RFC 3339 (default: now)")
	catFlag := fs.String("catalog", "", "catalog file (JSONL or CSV) to link names to (default: the demo catalog)")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	ref, err := parseRefTime(*refFlag)
	if err != nil {
		return err
	}
	p, err := newPipeline(*catFlag, ref)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if fs.NArg() > 0 {
		return enc.Encode(nluLine(p.Parse(strings.Join(fs.Args(), " "), ref)))
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := enc.Encode(nluLine(p.Parse(sc.Text(), ref))); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("nlu: reading input: %w", err)
	}
	return nil
}

// nluOutput is one line of `assistant nlu`: the keys of the data format
// first, extras after.
type nluOutput struct {
	Text       string         `json:"text"`
	Intent     string         `json:"intent"`
	Confidence float64        `json:"confidence"`
	Slots      nlu.Slots      `json:"slots"`
	Links      []nlu.Link     `json:"links"`
	Entities   []nlu.Entity   `json:"entities"`
	Removals   []nlu.ItemSlot `json:"removals,omitempty"`
	Ordinal    int            `json:"ordinal,omitempty"`
	Correction bool           `json:"correction,omitempty"`
}

func nluLine(p *nlu.Parse) nluOutput {
	out := nluOutput{
		Text: p.Text, Intent: p.Intent, Confidence: float64(int(p.Confidence*10000+0.5)) / 10000,
		Slots: p.Slots, Links: p.Links, Entities: p.Entities,
		Removals: p.Removals, Ordinal: p.Ordinal, Correction: p.Correction,
	}
	if out.Links == nil {
		out.Links = []nlu.Link{}
	}
	if out.Entities == nil {
		out.Entities = []nlu.Entity{}
	}
	return out
}

// parseRefTime reads a --ref-time flag; empty means now in Seoul.
func parseRefTime(s string) (time.Time, error) {
	if s == "" {
		return time.Now().In(sodam.Seoul), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --ref-time: %v", errUsage, err)
	}
	return t, nil
}

// newPipeline builds the NLU pipeline: the intent classifier trained on the
// embedded training set, linking to the catalog in catalogPath or, when it
// is empty, to the demo catalog with its dates laid out after now.
func newPipeline(catalogPath string, now time.Time) (*nlu.Pipeline, error) {
	train, err := evals.ReadTrainingSet()
	if err != nil {
		return nil, err
	}
	cls, err := nlu.TrainClassifier(train)
	if err != nil {
		return nil, fmt.Errorf("training the intent classifier: %w", err)
	}
	var recs []catalog.Record
	if catalogPath == "" {
		recs, err = demo.Records(now)
	} else {
		recs, err = readCatalogFile(catalogPath)
	}
	if err != nil {
		return nil, err
	}
	return nlu.NewPipeline(cls, catalogOf(recs)), nil
}

// catalogOf indexes the merchants, menu items and events of recs.
func catalogOf(recs []catalog.Record) *nlu.Catalog {
	var (
		ms []*sodam.Merchant
		is []*sodam.MenuItem
		es []*sodam.Event
	)
	for _, r := range recs {
		switch {
		case r.Merchant != nil:
			ms = append(ms, r.Merchant)
		case r.MenuItem != nil:
			is = append(is, r.MenuItem)
		case r.Event != nil:
			es = append(es, r.Event)
		}
	}
	return nlu.NewCatalog(ms, is, es)
}

// readCatalogFile reads every record of a catalog file. A bad line is an
// error naming it: names to link must come from a clean file.
func readCatalogFile(path string) ([]catalog.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: catalog: %v", errUsage, err)
	}
	defer f.Close()
	rd := catalog.NewReader(f, catalog.FormatOf(path))
	var recs []catalog.Record
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", path, err)
		}
		recs = append(recs, rec)
	}
}
