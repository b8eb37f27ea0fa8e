package nlu

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected column of testdata/extract/*.txt from the current output")

// The extraction cases live in testdata/extract/*.txt, one a line:
//
//	TEXT<TAB>EXPECTED
//
// where EXPECTED lists the entities in text order, separated by " | ",
// each as dim[text]=value (see summarize), and is empty when nothing is
// to be found. A line "# ref RFC3339" sets the reference time for the
// lines after it; other lines starting with # are comments.

// summarize writes e compactly: numbers and ordinals as the number,
// money and quantities as "value unit", datetimes as
// "2006-01-02T15:04/grain" or "from..to", durations as "Ns".
func summarize(e Entity) string {
	var v string
	const layout = "2006-01-02T15:04"
	switch e.Dim {
	case DimNumber, DimOrdinal:
		v = num(e.Num)
	case DimMoney, DimQuantity:
		v = num(e.Num) + " " + e.Unit
	case DimDatetime:
		if e.Span {
			v = e.From.Format(layout) + ".." + e.To.Format(layout)
		} else {
			v = e.Time.Format(layout) + "/" + e.Grain
		}
	case DimDuration:
		v = num(e.Seconds) + "s"
	}
	return fmt.Sprintf("%s[%s]=%s", e.Dim, e.Text, v)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func summarizeAll(es []Entity) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = summarize(e)
	}
	return strings.Join(parts, " | ")
}

type goldenCase struct {
	file string
	line int
	ref  time.Time
	text string
	want string
}

func readGolden(t *testing.T) ([]goldenCase, map[string][]string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "extract", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files in testdata/extract: %v", err)
	}
	var cases []goldenCase
	lines := map[string][]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ref := time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*3600))
		sc := bufio.NewScanner(fh)
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			lines[f] = append(lines[f], line)
			switch {
			case strings.HasPrefix(line, "# ref "):
				r, err := time.Parse(time.RFC3339, strings.TrimPrefix(line, "# ref "))
				if err != nil {
					t.Fatalf("%s:%d: %v", f, n, err)
				}
				ref = r
				continue
			case line == "" || strings.HasPrefix(line, "#"):
				continue
			}
			text, want, _ := strings.Cut(line, "\t")
			cases = append(cases, goldenCase{file: f, line: n, ref: ref, text: text, want: want})
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return cases, lines
}

func TestExtractGolden(t *testing.T) {
	cases, lines := readGolden(t)
	if len(cases) < 400 {
		t.Errorf("only %d extraction cases, want at least 400", len(cases))
	}
	for _, tc := range cases {
		got := summarizeAll(Extract(tc.text, tc.ref))
		if *update {
			lines[tc.file][tc.line-1] = tc.text + "\t" + got
			continue
		}
		t.Run(fmt.Sprintf("%s:%d", filepath.Base(tc.file), tc.line), func(t *testing.T) {
			if got != tc.want {
				t.Errorf("Extract(%q, %s)\n got: %s\nwant: %s", tc.text, tc.ref.Format(time.RFC3339), got, tc.want)
			}
		})
	}
	if *update {
		for f, ls := range lines {
			if err := os.WriteFile(f, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestExtractInvariants checks every golden text for the properties
// that hold of any output.
func TestExtractInvariants(t *testing.T) {
	cases, _ := readGolden(t)
	for _, tc := range cases {
		checkInvariants(t, tc.text, Extract(tc.text, tc.ref))
	}
}

func checkInvariants(t *testing.T, text string, es []Entity) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	rs := []rune(text)
	prevEnd := 0
	for _, e := range es {
		if e.Start < prevEnd || e.Start >= e.End || e.End > n {
			t.Errorf("%q: entity %s at [%d,%d) overlaps or leaves the text (%d runes, previous end %d)", text, e.Dim, e.Start, e.End, n, prevEnd)
			return
		}
		if got := string(rs[e.Start:e.End]); got != e.Text {
			t.Errorf("%q: entity text %q, but runes [%d,%d) are %q", text, e.Text, e.Start, e.End, got)
		}
		if e.Dim == DimDatetime && e.Span && !e.To.After(e.From) {
			t.Errorf("%q: span %v..%v is empty", text, e.From, e.To)
		}
		prevEnd = e.End
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"두", 2, true}, {"둘", 2, true}, {"열두", 12, true}, {"2만5천", 25000, true},
		{"1.5만", 15000, true}, {"15,000", 15000, true}, {"삼만", 30000, true}, {"하나", 1, true},
		{"스물다섯", 25, true}, {"스무", 20, true}, {"아흔아홉", 99, true}, {"서른셋", 33, true},
		{"만오천", 15000, true}, {"2만 5천", 25000, true}, {"3만5000", 35000, true},
		{"이십오", 25, true}, {"천", 1000, true}, {"백만", 1e6, true}, {"1억2천만", 1.2e8, true},
		{"2천5백만", 2.5e7, true}, {"1,234,567", 1234567, true}, {"0.5", 0.5, true},
		{"1.2만", 12000, true}, {" 7 ", 7, true}, {"다섯", 5, true}, {"열", 10, true},
		{"삼십", 30, true}, {"구천구백", 9900, true}, {"일곱", 7, true}, {"여덟", 8, true},
		{"", 0, false}, {"   ", 0, false}, {"치킨", 0, false}, {"두 마리", 0, false},
		{"2개", 0, false}, {"1,23", 0, false}, {"이거", 0, false}, {"오일", 0, false},
		{"만만", 0, false}, {"천백십", 1110, true}, {"십천", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseNumber(tc.in)
			if ok != tc.ok || got != tc.want {
				t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestEntityJSON(t *testing.T) {
	kst := time.FixedZone("KST", 9*3600)
	tests := []struct {
		name string
		e    Entity
		want string
	}{
		{"number", Entity{Dim: DimNumber, Text: "1.5", Start: 0, End: 3, Num: 1.5},
			`{"dim":"number","text":"1.5","start":0,"end":3,"value":1.5}`},
		{"ordinal", Entity{Dim: DimOrdinal, Text: "첫 번째", Start: 0, End: 4, Num: 1},
			`{"dim":"ordinal","text":"첫 번째","start":0,"end":4,"value":1}`},
		{"money", Entity{Dim: DimMoney, Text: "2만5천원", Start: 19, End: 24, Num: 25000, Unit: "KRW"},
			`{"dim":"money","text":"2만5천원","start":19,"end":24,"value":{"value":25000,"unit":"KRW"}}`},
		{"quantity", Entity{Dim: DimQuantity, Text: "두 마리", Start: 13, End: 17, Num: 2, Unit: "마리"},
			`{"dim":"quantity","text":"두 마리","start":13,"end":17,"value":{"value":2,"unit":"마리"}}`},
		{"datetime", Entity{Dim: DimDatetime, Text: "내일 저녁 7시", Start: 0, End: 8,
			Time: time.Date(2026, 11, 25, 19, 0, 0, 0, kst), Grain: "hour"},
			`{"dim":"datetime","text":"내일 저녁 7시","start":0,"end":8,"value":{"value":"2026-11-25T19:00:00+09:00","grain":"hour"}}`},
		{"span", Entity{Dim: DimDatetime, Text: "주말", Start: 0, End: 2, Span: true,
			From: time.Date(2026, 11, 28, 0, 0, 0, 0, kst), To: time.Date(2026, 11, 30, 0, 0, 0, 0, kst)},
			`{"dim":"datetime","text":"주말","start":0,"end":2,"value":{"from":"2026-11-28T00:00:00+09:00","to":"2026-11-30T00:00:00+09:00"}}`},
		{"duration", Entity{Dim: DimDuration, Text: "1시간 반", Start: 0, End: 5, Seconds: 5400, Dur: 90 * time.Minute},
			`{"dim":"duration","text":"1시간 반","start":0,"end":5,"value":{"seconds":5400}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("Marshal\n got: %s\nwant: %s", b, tc.want)
			}
			var back Entity
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.e, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("unknown dim", func(t *testing.T) {
		if _, err := json.Marshal(Entity{Dim: "colour"}); err == nil {
			t.Error("Marshal of an unknown dim succeeded")
		}
		var e Entity
		if err := json.Unmarshal([]byte(`{"dim":"colour","value":1}`), &e); err == nil {
			t.Error("Unmarshal of an unknown dim succeeded")
		}
	})
	t.Run("slice", func(t *testing.T) {
		b, err := json.Marshal([]Entity{{Dim: DimNumber, Text: "3", End: 1, Num: 3}})
		if err != nil {
			t.Fatal(err)
		}
		if want := `[{"dim":"number","text":"3","start":0,"end":1,"value":3}]`; string(b) != want {
			t.Errorf("got %s, want %s", b, want)
		}
	})
}

func TestExtractBadInput(t *testing.T) {
	ref := time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*3600))
	tests := []struct {
		name string
		text string
		want int // entities; -1 when any number will do
	}{
		{"empty", "", 0},
		{"spaces", "   \t  ", 0},
		{"emoji only", "😀🍗🍕👍", 0},
		{"invalid UTF-8", "\xff\xfe치킨 \xc3두 마리\xff", 1},
		{"lone continuation bytes", "\x80\x80\x80", 0},
		{"10k syllables", strings.Repeat("가", 10000), 0},
		{"10k digits", strings.Repeat("9", 10000), 0},
		{"long digit run", "1234567890123456789", 0},
		{"10k mixed", strings.Repeat("치킨 두 마리 내일 7시 2만원 ", 400), -1},
		{"only punctuation", "!!!???...~~~", 0},
		{"separators", "- ~ 부터 까지 ~ -", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es := Extract(tc.text, ref)
			if tc.want >= 0 && len(es) != tc.want {
				t.Errorf("got %d entities, want %d: %s", len(es), tc.want, summarizeAll(es))
			}
			checkInvariants(t, tc.text, es)
		})
	}
}

// TestExtractZone checks that datetimes resolve in the zone of the
// reference time.
func TestExtractZone(t *testing.T) {
	utc := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) // 18:00 in Seoul
	es := Extract("내일 7시", utc)
	if len(es) != 1 {
		t.Fatalf("got %s", summarizeAll(es))
	}
	if got, want := es[0].Time.Format(time.RFC3339), "2026-11-25T07:00:00Z"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func BenchmarkExtract(b *testing.B) {
	ref := time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*3600))
	msgs := []string{
		"내일 저녁 7시에 치킨 두 마리랑 2만5천원짜리 세트",
		"교촌 허니콤보 두 마리 시켜줘",
		"이번 주말 대학로 연극 R석 두 장 예매해줘",
		"네 좋아요 카카오페이로 결제할게요",
		"2만원 이하 피자 배달되는 곳 찾아줘",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Extract(msgs[i%len(msgs)], ref)
	}
}
