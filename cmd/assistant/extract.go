package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sodam-ai/sodam/nlu"
)

// extractLine is one output line of the extract subcommand
// (contracts.md section 5).
type extractLine struct {
	Text     string       `json:"text"`
	Entities []nlu.Entity `json:"entities"`
}

// cmdExtract implements `assistant extract --ref-time RFC3339 [TEXT]`: it
// extracts the entities of TEXT, or of each line of standard input, and
// prints one JSON object a line.
func cmdExtract(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	refFlag := fs.String("ref-time", "", "reference time, RFC 3339 (default: now in Asia/Seoul)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: assistant extract [--ref-time RFC3339] [TEXT]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(e.args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return fmt.Errorf("%w: extract: %v", errUsage, err)
	}
	ref, err := extractRefTime(*refFlag)
	if err != nil {
		return fmt.Errorf("%w: extract: %v", errUsage, err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	emit := func(text string) error {
		ents := nlu.Extract(text, ref)
		if ents == nil {
			ents = []nlu.Entity{}
		}
		if err := enc.Encode(extractLine{Text: text, Entities: ents}); err != nil {
			return fmt.Errorf("extract: write: %w", err)
		}
		return nil
	}
	if fs.NArg() > 0 {
		return emit(strings.Join(fs.Args(), " "))
	}
	return extractLines(ctx, e.stdin, emit)
}

// extractRefTime parses an RFC 3339 reference time, or returns now in
// Asia/Seoul when s is empty.
func extractRefTime(s string) (time.Time, error) {
	if s == "" {
		loc, err := time.LoadLocation("Asia/Seoul")
		if err != nil {
			loc = time.FixedZone("KST", 9*60*60)
		}
		return time.Now().In(loc), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad --ref-time %q: want RFC 3339 such as 2026-11-24T18:00:00+09:00", s)
	}
	return t, nil
}

// extractLines calls fn with every line of r, without its line ending,
// stopping early when ctx is done.
func extractLines(ctx context.Context, r io.Reader, fn func(string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(strings.TrimRight(sc.Text(), "\r")); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("extract: read input: %w", err)
	}
	return nil
}
