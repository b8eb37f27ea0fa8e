package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestEvalSearchCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	catalogFile := write("catalog.jsonl", strings.Join([]string{
		`{"kind":"merchant","id":"m-1","name":"교동치킨 혜화점","brand":"교동치킨","category":"치킨","lat":37.5822,"lng":127.0019,"opens":"11:00","closes":"24:00"}`,
		`{"kind":"merchant","id":"m-2","name":"동숭다방","category":"카페","lat":37.579,"lng":126.9989,"opens":"10:00","closes":"23:00"}`,
		`{"kind":"menu_item","id":"i-1","merchant_id":"m-1","name":"후라이드치킨","aliases":["프라이드"],"price":18000}`,
		`{"kind":"menu_item","id":"i-2","merchant_id":"m-2","name":"아메리카노","price":4500}`,
	}, "\n")+"\n")
	queriesFile := write("queries.jsonl", strings.Join([]string{
		`{"id":"q-1","query":"교동치킨","kind":"merchant","gold":["m-1"]}`,
		`{"id":"q-2","query":"프라이드","kind":"menu_item","gold":["i-1"]}`,
		`{"id":"q-3","query":"아메리카노","kind":"menu_item","gold":["i-2"]}`,
	}, "\n")+"\n")
	badQueries := write("bad.jsonl", `{"id":"q-1","query":"교동치킨","kind":"merchant","gold":["m-1"]}`+"\n"+`{"id":"q-2","query":"x","kind":"store","gold":["m-1"]}`+"\n")
	badCatalog := write("bad_catalog.jsonl", `{"kind":"merchant","id":"m-1","name":"","category":"치킨"}`+"\n")
	jsonOut := filepath.Join(dir, "report.json")

	tests := []struct {
		name       string
		args       []string
		wantUsage  bool
		wantErr    string
		wantStdout []string
		check      func(t *testing.T)
	}{
		{
			name: "defaults: the evaluation catalog and test set",
			args: []string{"eval", "search", "--misses", "0"},
			wantStdout: []string{
				"search: 194 queries\n",
				"mode     kind           n  recall@5    MRR  hit@1\n",
				"hybrid   all          194",
				"vector   event         51",
				"keyword  menu_item     77",
			},
		},
		{
			name: "own files and a JSON report",
			args: []string{"eval", "search", "--catalog", catalogFile, "--queries", queriesFile, "--json", jsonOut},
			wantStdout: []string{
				"search: 3 queries\n",
				"hybrid   all            3     1.000  1.000  1.000\n",
				"hybrid   menu_item      2     1.000  1.000  1.000\n",
			},
			check: func(t *testing.T) {
				b, err := os.ReadFile(jsonOut)
				if err != nil {
					t.Fatal(err)
				}
				var rep struct {
					Count int `json:"count"`
					Modes []struct {
						Mode    string `json:"mode"`
						Overall struct {
							RecallAt5 float64 `json:"recall_at_5"`
						} `json:"overall"`
						Queries []struct {
							ID   string   `json:"id"`
							Hits []string `json:"hits"`
						} `json:"queries"`
					} `json:"modes"`
				}
				if err := json.Unmarshal(b, &rep); err != nil {
					t.Fatal(err)
				}
				if rep.Count != 3 || len(rep.Modes) != 3 || rep.Modes[0].Mode != "hybrid" || rep.Modes[1].Mode != "vector" || rep.Modes[2].Mode != "keyword" {
					t.Fatalf("report %s", b)
				}
				if q := rep.Modes[0].Queries[0]; q.ID != "q-1" || len(q.Hits) == 0 || q.Hits[0] != "m-1" {
					t.Errorf("hybrid q-1 %+v, want m-1 first", q)
				}
			},
		},
		{name: "bad query line", args: []string{"eval", "search", "--queries", badQueries}, wantUsage: true, wantErr: `line 2: q-2: unknown kind "store"`},
		{name: "missing queries file", args: []string{"eval", "search", "--queries", filepath.Join(dir, "none.jsonl")}, wantUsage: true, wantErr: "queries:"},
		{name: "missing catalog file", args: []string{"eval", "search", "--catalog", filepath.Join(dir, "none.jsonl")}, wantUsage: true, wantErr: "catalog:"},
		{name: "bad catalog line", args: []string{"eval", "search", "--catalog", badCatalog, "--queries", queriesFile}, wantUsage: true, wantErr: "1 bad lines"},
		{name: "stray argument", args: []string{"eval", "search", "extra"}, wantUsage: true, wantErr: "takes no arguments"},
		{name: "unknown evaluation", args: []string{"eval", "recall"}, wantUsage: true, wantErr: "want nlu, dialogues or search"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, nil, &stdout, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				if errors.Is(err, errUsage) != tc.wantUsage {
					t.Errorf("usage error %v, want %v", errors.Is(err, errUsage), tc.wantUsage)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			for _, want := range tc.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tc.check != nil {
				tc.check(t)
			}
		})
	}
}

// TestEvalSearchPostgres runs the evaluation on PostgreSQL and checks that
// the schema it made is gone afterwards.
func TestEvalSearchPostgres(t *testing.T) {
	url := scratchDatabase(t)
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"eval", "search", "--database-url", url, "--misses", "0"}, func(string) string { return "" }, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"search: 194 queries\n", "hybrid   all          194", "keyword  event         51"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'eval_search_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d eval_search schemas left behind", n)
	}
}
