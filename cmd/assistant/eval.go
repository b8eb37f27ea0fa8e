package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/sodam-ai/sodam/evals"
)

// cmdEval runs an evaluation: `eval nlu`, `eval dialogues` or `eval search`.
func cmdEval(ctx context.Context, e env) error {
	if len(e.args) == 0 {
		fmt.Fprintln(e.stderr, "usage: assistant eval nlu|dialogues|search [flags]")
		return fmt.Errorf("%w: eval needs nlu, dialogues or search", errUsage)
	}
	sub := e
	sub.args = e.args[1:]
	switch e.args[0] {
	case "nlu":
		return cmdEvalNLU(ctx, sub)
	case "dialogues":
		return cmdEvalDialogues(ctx, sub)
	case "search":
		return cmdEvalSearch(ctx, sub)
	}
	return fmt.Errorf("%w: unknown evaluation %q (want nlu, dialogues or search)", errUsage, e.args[0])
}

// cmdEvalNLU scores the NLU on a labelled file (contracts.md section 2):
//
//	assistant eval nlu --data FILE.jsonl --ref-time RFC3339 [--json OUT.json] [--catalog FILE]
//
// It prints a table and, with --json, writes the figures. Bad input is an
// error; a low score is not.
func cmdEvalNLU(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("eval nlu", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "labelled messages, one JSON object a line (required)")
	refFlag := fs.String("ref-time", "", "reference time the gold datetimes were resolved against, RFC 3339 (required)")
	jsonOut := fs.String("json", "", "write the figures as JSON to this file")
	catFlag := fs.String("catalog", "", "catalog file to link names to (default: the demo catalog)")
	maxConf := fs.Int("confusions", 10, "how many intent confusions to print")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *data == "" || *refFlag == "" {
		fs.Usage()
		return fmt.Errorf("%w: --data and --ref-time are required", errUsage)
	}
	ref, err := parseRefTime(*refFlag)
	if err != nil {
		return err
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer f.Close()
	p, err := newPipeline(*catFlag, ref)
	if err != nil {
		return err
	}
	rep, err := evals.EvalNLU(ctx, p, f, ref)
	if err != nil {
		return fmt.Errorf("eval nlu: %s: %w", *data, err)
	}
	if err := rep.WriteTable(e.stdout, *maxConf); err != nil {
		return err
	}
	if *jsonOut == "" {
		return nil
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("eval nlu: %w", err)
	}
	if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("eval nlu: %w", err)
	}
	return nil
}
