package evals

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// silent is an assistant that does nothing.
type silent struct{}

func (silent) Respond(context.Context, sodam.Turn) (*sodam.Response, error) {
	return &sodam.Response{Text: "..."}, nil
}

func TestRunTrialsScoresPassHatK(t *testing.T) {
	total := int64(19200)
	paid := "paid"
	order := Scenario{ID: "order-01", RefTime: time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul),
		User:   ScenarioUser{ID: "u-1", Address: "서울 종로구 대학로 12", Lat: 37.58, Lng: 127.00},
		Turns:  []string{"교동치킨 후라이드 한 마리 시켜줘", "카카오페이로 결제할게", "네"},
		Expect: Expect{Orders: &[]ExpectOrder{{Status: &paid, Total: &total}}}}
	tests := []struct {
		name       string
		trials     int
		build      func(n *atomic.Int64) AssistantFunc
		wantPassed int
		wantHat1   float64
		wantPasses int
	}{
		{name: "the dialogue manager every time", trials: 3, build: func(*atomic.Int64) AssistantFunc { return nil },
			wantPassed: 1, wantHat1: 1, wantPasses: 3},
		{name: "right every other time", trials: 2, build: func(n *atomic.Int64) AssistantFunc {
			return func(_ context.Context, h *Harness) (sodam.Assistant, error) {
				if n.Add(1)%2 == 0 {
					return silent{}, nil
				}
				return h.Assistant, nil
			}
		}, wantPassed: 0, wantHat1: 0.5, wantPasses: 1},
	}
	d := loadRunner(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			rep, err := d.RunTrials(context.Background(), []Scenario{order}, tc.trials, tc.build(&n))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Passed != tc.wantPassed || rep.PassHat1 != tc.wantHat1 || rep.TrialPasses["order-01"] != tc.wantPasses {
				t.Errorf("passed %d, pass^1 %v, trial passes %d; want %d, %v, %d",
					rep.Passed, rep.PassHat1, rep.TrialPasses["order-01"], tc.wantPassed, tc.wantHat1, tc.wantPasses)
			}
			if rep.PassHatK != rep.PassRate || rep.Trials != tc.trials {
				t.Errorf("pass^k %v, pass rate %v, trials %d", rep.PassHatK, rep.PassRate, rep.Trials)
			}
			if tc.wantPassed == 0 && (rep.Scenarios[0].Pass || rep.Scenarios[0].Diff == "") {
				t.Errorf("kept result %+v, want the failed trial", rep.Scenarios[0])
			}
			var table strings.Builder
			if err := rep.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(table.String(), "trials") || !strings.Contains(table.String(), "pass^") {
				t.Errorf("table = %q", table.String())
			}
		})
	}
}
