package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/evals"
)

// cmdEvalDialogues runs the dialogue scenarios (contracts.md section 4):
//
//	assistant eval dialogues --catalog FILE.jsonl --scenarios FILE.jsonl [--json OUT.json]
//		[--planner nlu|llm|hybrid --llm-base-url URL --llm-model M] [--trials K]
//
// Each scenario runs on a fresh embedded store loaded with the catalog,
// with a clock fixed at its ref_time and sandbox payments. It prints one
// line per scenario and the pass rate and, with --json, writes the report.
// Bad input is an error; a failed scenario is not.
func cmdEvalDialogues(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("eval dialogues", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	catPath := fs.String("catalog", "", "catalog file, JSONL (required)")
	scenPath := fs.String("scenarios", "", "scenarios, one JSON object a line (required)")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	pf := addPlannerFlags(fs)
	trials := fs.Int("trials", 1, "runs of each scenario; it passes only when all pass (pass^k)")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *catPath == "" || *scenPath == "" {
		fs.Usage()
		return fmt.Errorf("%w: --catalog and --scenarios are required", errUsage)
	}
	planner, err := pf.resolve(e.getenv)
	if err != nil {
		return err
	}
	if *trials < 1 {
		return fmt.Errorf("%w: --trials must be at least 1", errUsage)
	}
	cat, err := os.ReadFile(*catPath)
	if err != nil {
		return fmt.Errorf("%w: catalog: %v", errUsage, err)
	}
	f, err := os.Open(*scenPath)
	if err != nil {
		return fmt.Errorf("%w: scenarios: %v", errUsage, err)
	}
	scenarios, err := evals.ReadScenarios(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	runner, err := evals.NewDialogueRunner(cat)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var rep interface{ WriteTable(io.Writer) error }
	if planner.Model == nil && *trials == 1 {
		rep, err = runner.Run(ctx, scenarios)
	} else {
		rep, err = runner.RunTrials(ctx, scenarios, *trials, func(_ context.Context, h *evals.Harness) (sodam.Assistant, error) {
			return planner.wrap(h.Assistant, h.Tools(), h.Parser(), h.Clock(), nil)
		})
	}
	if err != nil {
		return err
	}
	if err := rep.WriteTable(e.stdout); err != nil {
		return err
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("eval dialogues: encode report: %w", err)
		}
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("eval dialogues: %w", err)
		}
	}
	return nil
}
