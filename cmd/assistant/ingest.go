package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/connectors/postgres"
)

// cmdIngest checks a catalog file and loads it into the database:
//
//	assistant ingest --file FILE [--format jsonl|csv] [--dry-run] [--database-url URL]
//
// Without a database (no --database-url and no DATABASE_URL) or with
// --dry-run it only checks the file and reports what it would load. Each
// bad line is printed to standard error as "line N: ..." and skipped; a
// summary goes to standard output. Bad lines do not make the command
// fail; a file that cannot be read does.
func cmdIngest(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	file := fs.String("file", "", "catalog file, .jsonl or .csv (- for standard input)")
	format := fs.String("format", "", "jsonl or csv (default: by the file's extension)")
	dryRun := fs.Bool("dry-run", false, "check the file and report, store nothing")
	dbURL := fs.String("database-url", "", "Postgres URL (default $DATABASE_URL)")
	reembed := fs.Bool("reembed", false, "recompute every catalog vector with the configured embedder (after the embedder changed); --file is then optional")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: ingest: %v", errUsage, err)
	}
	if *reembed {
		return reembedCatalog(ctx, e, databaseURL(*dbURL, e.getenv), *file)
	}
	if *file == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: ingest: --file is required and takes no other arguments", errUsage)
	}
	f := *format
	if f == "" {
		f = catalog.FormatOf(*file)
	}
	if f != catalog.FormatJSONL && f != catalog.FormatCSV {
		return fmt.Errorf("%w: ingest: cannot tell the format of %q: name it .jsonl or .csv, or pass --format", errUsage, *file)
	}

	var (
		r     io.Reader = e.stdin
		total int64
	)
	if *file != "-" {
		fh, err := os.Open(*file)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			total = st.Size()
		}
		r = fh
	}

	tty := isTerminal(e.stderr)
	in := &catalog.Ingester{
		Progress:   e.stderr,
		IsTerminal: tty,
		Total:      total,
		OnError: func(le *catalog.LineError) {
			if tty {
				fmt.Fprint(e.stderr, "\r\x1b[K") // clear the progress line first
			}
			fmt.Fprintln(e.stderr, le)
		},
	}
	url := databaseURL(*dbURL, e.getenv)
	switch {
	case url != "":
		emb, err := embedderFromEnv(e.getenv)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		st, closeStore, err := openStoreWith(ctx, postgres.Config{URL: url, Embedder: emb})
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		defer closeStore()
		if *dryRun {
			in.Lookup = st
		} else {
			in.Store = st
		}
	case !*dryRun:
		fmt.Fprintln(e.stderr, "ingest: no database given (--database-url or DATABASE_URL): checking only, nothing is stored")
	}

	sum, err := in.Ingest(ctx, r, f)
	if sum != nil {
		if rerr := sum.Report(e.stdout); rerr != nil && err == nil {
			err = rerr
		}
		if sum.ErrorsDropped > 0 {
			fmt.Fprintf(e.stdout, "%d bad lines in all\n", int64(len(sum.Errors))+sum.ErrorsDropped)
		}
	}
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	return nil
}

// reembedCatalog recomputes the catalog's vectors with the configured
// embedder, then ingests file when one is given.
func reembedCatalog(ctx context.Context, e env, url, file string) error {
	if url == "" {
		return fmt.Errorf("%w: ingest --reembed needs a database (--database-url or DATABASE_URL)", errUsage)
	}
	emb, err := embedderFromEnv(e.getenv)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	st, closeStore, err := openStoreWith(ctx, postgres.Config{URL: url, Embedder: emb, Reembedding: true})
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer closeStore()
	tty := isTerminal(e.stderr)
	start := time.Now()
	err = st.Reembed(ctx, func(done, total int) {
		if tty {
			fmt.Fprintf(e.stderr, "\r\x1b[Kreembed: %d / %d records", done, total)
		} else {
			fmt.Fprintf(e.stderr, "reembed: %d / %d records\n", done, total)
		}
	})
	if tty {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return fmt.Errorf("ingest: reembed: %w", err)
	}
	fmt.Fprintf(e.stdout, "reembedded the catalog in %s\n", time.Since(start).Round(time.Millisecond))
	closeStore()
	if file == "" {
		return nil
	}
	args := []string{"--file", file, "--database-url", url}
	return cmdIngest(ctx, env{args: args, getenv: e.getenv, stdin: e.stdin, stdout: e.stdout, stderr: e.stderr})
}

// isTerminal reports whether w is a terminal, where progress is redrawn
// in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
