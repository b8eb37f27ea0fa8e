package catalog

import (
	"fmt"
	"time"
)

// progress reports how far the ingest is: on a terminal by redrawing one
// line at most ten times a second, elsewhere with a plain line every
// Every records. final draws the last state (and ends the terminal line).
func (run *ingestRun) progress(final bool) {
	w := run.in.Progress
	if w == nil {
		return
	}
	if run.in.IsTerminal {
		if !final && (run.records%256 != 0 || time.Since(run.lastDraw) < 100*time.Millisecond) {
			return
		}
		run.lastDraw = time.Now()
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(w, "\r\x1b[K%s%s", run.status(), end)
		return
	}
	every := run.in.Every
	if every <= 0 {
		every = 100_000
	}
	if final || run.records%every == 0 {
		fmt.Fprintln(w, run.status())
	}
}

func (run *ingestRun) status() string {
	elapsed := time.Since(run.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(run.records) / elapsed
	}
	read := run.rd.BytesRead()
	s := fmt.Sprintf("ingest: %s", mb(read))
	if t := run.in.Total; t > 0 {
		pct := float64(read) * 100 / float64(t)
		if pct > 100 {
			pct = 100
		}
		s += fmt.Sprintf(" / %s %s %3.0f%%", mb(t), bar(pct, 20), pct)
	}
	return s + fmt.Sprintf("  %d records  %.0f records/s", run.records, rate)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func bar(pct float64, width int) string {
	full := int(pct * float64(width) / 100)
	b := make([]byte, 0, width+2)
	b = append(b, '[')
	for i := range width {
		if i < full {
			b = append(b, '#')
		} else {
			b = append(b, '.')
		}
	}
	return string(append(b, ']'))
}
