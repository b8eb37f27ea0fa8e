package evals

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/nlu"
	"github.com/sodam-ai/sodam/tools"
)

// AssistantFunc builds the assistant a scenario talks to over the
// scenario's fresh world: the harness's dialogue manager as is, or a
// planner around it.
type AssistantFunc func(ctx context.Context, h *Harness) (sodam.Assistant, error)

// Tools returns the harness's toolbox.
func (h *Harness) Tools() *tools.Toolbox { return h.tools }

// Parser returns the harness's NLU pipeline.
func (h *Harness) Parser() *nlu.Pipeline { return h.pipeline }

// Clock returns the harness's clock, which moves on after each turn.
func (h *Harness) Clock() sodam.Clock { return h.clock }

// TrialReport is a dialogue evaluation run K times per scenario, as
// tau-bench scores agents: a scenario passes only when all K trials pass
// (pass^k), since a service must get the same request right every time.
// The embedded report is in the shape of contracts.md section 4, with
// Passed and PassRate counting scenarios that passed every trial and each
// scenario's result taken from its first failed trial (else its last).
type TrialReport struct {
	DialogueReport
	Trials int `json:"trials"`
	// PassHatK equals PassRate; PassHat1 is the mean pass rate of single
	// trials.
	PassHatK float64 `json:"pass_hat_k"`
	PassHat1 float64 `json:"pass_hat_1"`
	// TrialPasses counts the passed trials of each scenario.
	TrialPasses map[string]int `json:"trial_passes"`
}

// RunTrials runs every scenario trials times (1 when less), each time in
// a fresh world with the assistant build returns, and scores pass^k.
func (d *DialogueRunner) RunTrials(ctx context.Context, scenarios []Scenario, trials int, build AssistantFunc) (*TrialReport, error) {
	trials = max(trials, 1)
	rep := &TrialReport{DialogueReport: DialogueReport{Total: len(scenarios), CatalogBad: d.bad, CatalogRead: d.records},
		Trials: trials, TrialPasses: map[string]int{}}
	var lat []time.Duration
	passed := 0
	for _, s := range scenarios {
		var kept *ScenarioResult
		for range trials {
			res, l, err := d.runWith(ctx, s, build)
			if err != nil {
				return nil, err
			}
			lat = append(lat, l...)
			if res.Pass {
				rep.TrialPasses[s.ID]++
				passed++
			}
			if kept == nil || kept.Pass {
				kept = res
			}
		}
		if rep.TrialPasses[s.ID] == trials {
			rep.Passed++
		}
		rep.Scenarios = append(rep.Scenarios, *kept)
	}
	if rep.Total > 0 {
		rep.PassRate = float64(rep.Passed) / float64(rep.Total)
		rep.PassHat1 = float64(passed) / float64(rep.Total*trials)
	}
	rep.PassHatK = rep.PassRate
	rep.Latency = summarize(lat)
	return rep, nil
}

// runWith runs one scenario against the assistant build makes.
func (d *DialogueRunner) runWith(ctx context.Context, s Scenario, build AssistantFunc) (*ScenarioResult, []time.Duration, error) {
	h, err := d.NewHarness(ctx, s.RefTime)
	if err != nil {
		return nil, nil, err
	}
	var a sodam.Assistant = h.Assistant
	if build != nil {
		if a, err = build(ctx, h); err != nil {
			return nil, nil, fmt.Errorf("evals: scenario %s: build the assistant: %w", s.ID, err)
		}
	}
	res := &ScenarioResult{ID: s.ID, Note: s.Note}
	u := &sodam.User{ID: s.User.ID, Name: s.User.Name, Address: s.User.Address, Lat: s.User.Lat, Lng: s.User.Lng,
		Phone: s.User.Phone, Subscriptions: slices.Sorted(slices.Values(s.User.Subscriptions))}
	if err := h.Store.UpsertUser(ctx, u); err != nil {
		return nil, nil, fmt.Errorf("evals: scenario %s: user: %w", s.ID, err)
	}
	step := d.TurnStep
	if step <= 0 {
		step = 5 * time.Second
	}
	var lat []time.Duration
	for i, text := range s.Turns {
		start := time.Now()
		r, err := a.Respond(ctx, sodam.Turn{UserID: s.User.ID, Text: text,
			MessageID: fmt.Sprintf("%s-%d", s.ID, i+1), Channel: "eval"})
		el := time.Since(start)
		lat = append(lat, el)
		tl := TurnLog{User: text, LatencyMs: float64(el.Microseconds()) / 1000}
		if err != nil {
			tl.Reply = "(error) " + err.Error()
			if res.Error == "" {
				res.Error = fmt.Sprintf("turn %d: %v", i+1, err)
			}
		} else {
			tl.Reply, tl.Intent = ReplyText(r), r.Intent
		}
		res.Turns = append(res.Turns, tl)
		h.clock.advance(step)
	}
	state, err := endState(ctx, h.Store, s.User.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("evals: scenario %s: %w", s.ID, err)
	}
	res.State = *state
	res.Diff = compareState(s.Expect, state)
	res.Pass = res.Diff == ""
	return res, lat, nil
}

// WriteTable writes the scenario lines of the report, each with its
// passed trials, and pass^k and pass^1.
func (rep *TrialReport) WriteTable(w io.Writer) error {
	for _, line := range rep.CatalogBad {
		if _, err := fmt.Fprintf(w, "catalog: %s\n", line); err != nil {
			return err
		}
	}
	for _, s := range rep.Scenarios {
		n := rep.TrialPasses[s.ID]
		mark := "PASS"
		if n < rep.Trials {
			mark = "FAIL"
		}
		line := fmt.Sprintf("%s %s  %d/%d trials", mark, s.ID, n, rep.Trials)
		if !s.Pass {
			line += "  " + s.Diff
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "pass^%d %d of %d (%.1f%%), pass^1 %.1f%%; turn latency p50 %.3f ms, p99 %.3f ms over %d turns\n",
		rep.Trials, rep.Passed, rep.Total, rep.PassHatK*100, rep.PassHat1*100, rep.Latency.P50, rep.Latency.P99, rep.Latency.Turns)
	return err
}
