package loadgen

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
)

// WriteHTML writes a self-contained page (inline SVG and CSS, nothing
// fetched) with the summary, the turns and latency of every second, the
// server's memory and goroutines over time, and the latency histogram.
// title heads the page; it is escaped.
func (res *Result) WriteHTML(w io.Writer, title string) error {
	var table strings.Builder
	if err := res.WriteTable(&table); err != nil {
		return err
	}
	var turns, lat, p50, mem, gor []point
	for _, s := range res.Series {
		turns = append(turns, point{s.At, float64(s.Turns - s.Errors)})
		if s.Turns > s.Errors {
			lat = append(lat, point{s.At, s.P99Ms})
			p50 = append(p50, point{s.At, s.P50Ms})
		}
		if s.RSSBytes >= 0 {
			mem = append(mem, point{s.At, mib(s.RSSBytes)})
		}
		if s.Goroutines >= 0 {
			gor = append(gor, point{s.At, float64(s.Goroutines)})
		}
	}
	var hist []bar
	for k, b := range res.Histogram {
		label := "∞"
		if !math.IsInf(b.UpToMs, 1) {
			label = fmt.Sprintf("<%g", b.UpToMs)
		}
		if k == len(res.Histogram)-1 && b.Count == 0 {
			break
		}
		hist = append(hist, bar{label, float64(b.Count)})
	}
	data := struct {
		Title                     string
		Table                     string
		Throughput, Latency, Hist template.HTML
		Memory, Goroutines        template.HTML
	}{
		Title:      title,
		Table:      table.String(),
		Throughput: lineChart("answered turns per second", "s", "turns/s", []series{{"answered", "#2563eb", turns}}),
		Latency:    lineChart("turn latency (ms) of the turns sent each second", "s", "ms", []series{{"p99", "#dc2626", lat}, {"p50", "#16a34a", p50}}),
		Hist:       barChart("turn latency histogram (ms)", hist),
		Memory:     lineChart("server RSS (MiB)", "s", "MiB", []series{{"RSS", "#7c3aed", mem}}),
		Goroutines: lineChart("goroutines", "s", "", []series{{"goroutines", "#ea580c", gor}}),
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:960px}
pre{background:#f4f4f5;padding:1rem;border-radius:6px;overflow:auto}
svg{display:block;margin:1rem 0}
text{font-size:11px;fill:#333}
</style></head><body>
<h1>{{.Title}}</h1>
<pre>{{.Table}}</pre>
{{.Throughput}}
{{.Latency}}
{{.Hist}}
{{.Memory}}
{{.Goroutines}}
</body></html>
`))

type point struct{ x, y float64 }

type series struct {
	name, color string
	pts         []point
}

type bar struct {
	label string
	v     float64
}

const (
	chartW, chartH = 900, 240
	padL, padR     = 60, 110
	padT, padB     = 30, 30
)

// lineChart draws series over a shared x axis starting at 0.
func lineChart(title, xunit, yunit string, ss []series) template.HTML {
	var maxX, maxY float64
	for _, s := range ss {
		for _, p := range s.pts {
			maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s">`, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<text x="%d" y="18" style="font-size:14px;font-weight:600">%s</text>`, padL, template.HTMLEscapeString(title))
	if maxX == 0 || maxY == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text></svg>`, padL, chartH/2)
		return template.HTML(b.String())
	}
	maxY = niceCeil(maxY)
	pw, ph := float64(chartW-padL-padR), float64(chartH-padT-padB)
	sx := func(x float64) float64 { return padL + x/maxX*pw }
	sy := func(y float64) float64 { return padT + ph - y/maxY*ph }
	axes(&b, maxY, yunit)
	fmt.Fprintf(&b, `<text x="%d" y="%d">0</text><text x="%d" y="%d" text-anchor="end">%.0f %s</text>`,
		padL, chartH-8, chartW-padR, chartH-8, maxX, xunit)
	for k, s := range ss {
		if len(s.pts) == 0 {
			continue
		}
		var d strings.Builder
		for i, p := range s.pts {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f,%.1f", cmd, sx(p.x), sy(p.y))
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="1.5"/>`, d.String(), s.color)
		fmt.Fprintf(&b, `<text x="%d" y="%d" style="fill:%s">%s</text>`, chartW-padR+8, padT+14*k+10, s.color, template.HTMLEscapeString(s.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barChart draws labelled bars.
func barChart(title string, bars []bar) template.HTML {
	var maxY float64
	for _, x := range bars {
		maxY = math.Max(maxY, x.v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s">`, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<text x="%d" y="18" style="font-size:14px;font-weight:600">%s</text>`, padL, template.HTMLEscapeString(title))
	if maxY == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text></svg>`, padL, chartH/2)
		return template.HTML(b.String())
	}
	maxY = niceCeil(maxY)
	axes(&b, maxY, "")
	pw, ph := float64(chartW-padL-padR), float64(chartH-padT-padB)
	bw := pw / float64(len(bars))
	for k, x := range bars {
		h := x.v / maxY * ph
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2563eb"><title>%s ms: %.0f</title></rect>`,
			padL+float64(k)*bw+1, padT+ph-h, bw-2, h, template.HTMLEscapeString(x.label), x.v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, padL+(float64(k)+.5)*bw, chartH-10, template.HTMLEscapeString(x.label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// axes draws the frame and the y axis's bounds.
func axes(b *strings.Builder, maxY float64, unit string) {
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#d4d4d8"/>`, padL, padT, chartW-padL-padR, chartH-padT-padB)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#e4e4e7"/>`, padL, padT+(chartH-padT-padB)/2, chartW-padR, padT+(chartH-padT-padB)/2)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%g</text>`, padL-6, padT+4, maxY)
	if unit != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, padL-6, padT+18, template.HTMLEscapeString(unit))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%g</text>`, padL-6, padT+(chartH-padT-padB)/2+4, maxY/2)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">0</text>`, padL-6, chartH-padB+4)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
