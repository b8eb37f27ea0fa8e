package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	jsonl := write("catalog.jsonl", strings.Join([]string{
		`{"kind": "merchant", "id": "m-1", "name": "교동치킨 혜화점", "category": "치킨", "lat": 37.5822, "lng": 127.0019, "opens": "11:00", "closes": "24:00", "delivery_fee": 3000, "min_order": 15000}`,
		`{"kind": "menu_item", "id": "i-1", "merchant_id": "m-1", "name": "후라이드치킨", "price": -18000}`,
		`{"kind": "menu_item", "id": "i-2", "merchant_id": "m-1", "name": "양념치킨", "price": 19000}`,
		`{"kind": "menu_item", "id": "i-3", "merchant_id": "m-9", "name": "간장치킨", "price": 19000}`,
		``,
		`{"kind": "event", "id": "e-1", "title": "연극 〈라면〉", "category": "연극"}`,
		`{"kind": "session", "id": "s-1", "event_id": "e-1", "starts_at": "2026-11-28T15:00:00+09:00", "seats": {"전석": {"price": 30000, "available": 80}}}`,
	}, "\n")+"\n")
	csvFile := write("merchants.csv", "id,name,category,lat,lng,opens,closes\nm-1,동숭다방,카페,37.58,127.0,10:00,23:00\nm-2,,카페,37.58,127.0,10:00,23:00\n")
	txt := write("catalog.txt", "")

	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		stdin      string
		wantErr    string // "" for success
		wantUsage  bool
		wantStdout []string
		wantStderr []string
	}{
		{
			name: "good and bad lines",
			args: []string{"--file", jsonl},
			wantStdout: []string{
				"merchant   read 1, would ingest 1, unchanged 0, failed 0",
				"menu_item  read 3, would ingest 1, unchanged 0, failed 2",
				"session    read 1, would ingest 1, unchanged 0, failed 0",
				"total      read 6, would ingest 4, unchanged 0, failed 2",
			},
			wantStderr: []string{
				"line 2: menu_item i-1: price must be >= 0\n",
				"line 4: menu_item i-3: merchant_id m-9 is not defined earlier in the file\n",
				"nothing is stored",
			},
		},
		{
			name:       "csv with --dry-run",
			args:       []string{"--dry-run", "--file", csvFile},
			wantStdout: []string{"merchant   read 2, would ingest 1, unchanged 0, failed 1"},
			wantStderr: []string{"line 3: merchant m-2: name is required\n"},
		},
		{
			name:       "standard input",
			args:       []string{"--file", "-", "--format", "csv"},
			stdin:      "id,title,category\ne-1,연극 〈라면〉,연극\n",
			wantStdout: []string{"event      read 1, would ingest 1"},
		},
		{name: "missing file", args: []string{"--file", filepath.Join(dir, "none.jsonl")}, wantErr: "no such file"},
		{name: "no file flag", args: nil, wantErr: "--file is required", wantUsage: true},
		{name: "unknown extension", args: []string{"--file", txt}, wantErr: "cannot tell the format", wantUsage: true},
		{name: "bad flag", args: []string{"--file", jsonl, "--fast"}, wantErr: "flag provided but not defined", wantUsage: true},
		{
			name:    "database without a store",
			args:    []string{"--file", jsonl},
			env:     map[string]string{"DATABASE_URL": "postgres://127.0.0.1:1/none"},
			wantErr: "ingest: ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			err := run(context.Background(), append([]string{"ingest"}, tc.args...), getenv, strings.NewReader(tc.stdin), &stdout, &stderr)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("run = %v, want an error containing %q", err, tc.wantErr)
				}
				if got := errors.Is(err, errUsage); got != tc.wantUsage {
					t.Errorf("usage error = %v, want %v (%v)", got, tc.wantUsage, err)
				}
			}
			for _, want := range tc.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

func TestIngestIntoPostgres(t *testing.T) {
	url := scratchDatabase(t)
	ctx := context.Background()
	file := filepath.Join("..", "..", "evals", "testdata", "catalog.jsonl")
	for _, pass := range []string{"first", "again"} {
		var stdout, stderr bytes.Buffer
		err := run(ctx, []string{"ingest", "--file", file, "--database-url", url}, func(string) string { return "" }, nil, &stdout, &stderr)
		if err != nil {
			t.Fatalf("%s: %v\n%s", pass, err, stderr.String())
		}
		if want := "total      read 772, ingested 772, unchanged 0, failed 0"; !strings.Contains(stdout.String(), want) {
			t.Errorf("%s: stdout lacks %q:\n%s", pass, want, stdout.String())
		}
	}
	st, closeStore, err := openStore(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	merchants, err := st.Merchants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.MenuItems(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := st.Sessions(ctx, "e-001")
	if err != nil {
		t.Fatal(err)
	}
	if len(merchants) != 57 || len(items) != 604 || len(sessions) != 3 {
		t.Errorf("store holds %d merchants, %d items, %d sessions of e-001", len(merchants), len(items), len(sessions))
	}
}
