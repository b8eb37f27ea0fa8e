package main

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// TestFilesAreUpToDate fails when the data here changed but the files
// were not written again with go generate ./catalog/demo.
func TestFilesAreUpToDate(t *testing.T) {
	for _, tc := range []struct {
		base string
		file string
	}{
		{"2026-01-01", "../../demo.jsonl"},
		{"2026-11-24", "../../../../evals/testdata/catalog.jsonl"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			base, err := time.ParseInLocation(time.DateOnly, tc.base, sodam.Seoul)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := generate(&buf, base); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), got) {
				t.Errorf("%s is out of date: run go generate ./catalog/demo", tc.file)
			}
		})
	}
}

func TestSessionTime(t *testing.T) {
	tue := time.Date(2026, 11, 24, 0, 0, 0, 0, sodam.Seoul) // a Tuesday
	tests := []struct {
		spec string
		want time.Time
	}{
		{"wed0 19:30", time.Date(2026, 11, 25, 19, 30, 0, 0, sodam.Seoul)},
		{"sat0 14:00", time.Date(2026, 11, 28, 14, 0, 0, 0, sodam.Seoul)},
		{"tue0 20:00", time.Date(2026, 12, 1, 20, 0, 0, 0, sodam.Seoul)}, // strictly after the base
		{"sat2 18:00", time.Date(2026, 12, 12, 18, 0, 0, 0, sodam.Seoul)},
		{"d30 19:30", time.Date(2026, 12, 24, 19, 30, 0, 0, sodam.Seoul)},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := sessionTime(tue, tc.spec)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("sessionTime = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"sat 18:00", "someday 10:00", "d3", "fri1 25:00"} {
		if _, err := sessionTime(tue, bad); err == nil {
			t.Errorf("sessionTime(%q) succeeded, want an error", bad)
		}
	}
}
