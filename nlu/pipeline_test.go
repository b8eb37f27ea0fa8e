package nlu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPipelineGolden parses every line of testdata/pipeline/inputs.tsv
// (intent, tab, text) with the intent given and compares the parses with
// testdata/pipeline/golden.jsonl. Run with -update to rewrite it, then
// review the diff. (The -update flag is declared in extract_test.go.)
func TestPipelineGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "pipeline", "inputs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPipeline(nil, testCatalog())
	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(bytes.NewReader(in))
	for sc.Scan() {
		intent, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad input line %q", sc.Text())
		}
		if err := enc.Encode(p.parse(text, testRef, intent)); err != nil {
			t.Fatal(err)
		}
	}
	golden := filepath.Join("testdata", "pipeline", "golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestPipelineGolden -update)", err)
	}
	gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%d parses, golden has %d", len(gl), len(wl))
	}
	for i := range gl {
		if gl[i] != wl[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
		}
	}
}

// checkParse asserts what holds for the parse of any input.
func checkParse(t *testing.T, text string, p *Parse) {
	t.Helper()
	if p == nil {
		t.Fatalf("%q: nil parse", text)
	}
	if !utf8.ValidString(p.Normalized) {
		t.Errorf("%q: normalized text is not UTF-8", text)
	}
	if p.Intent == "" {
		t.Errorf("%q: no intent", text)
	}
	n := utf8.RuneCountInString(p.Normalized)
	end := 0
	for _, l := range p.Links {
		if l.Start < end || l.Start >= l.End || l.End > n {
			t.Errorf("%q: bad link span %+v (text of %d runes)", text, l, n)
		}
		end = l.End
	}
	for _, it := range append(append([]ItemSlot{}, p.Slots.Items...), p.Removals...) {
		if it.Name == "" || it.Quantity < 1 || it.Options == nil {
			t.Errorf("%q: bad item %+v", text, it)
		}
	}
	if p.Slots.Datetime != "" && p.Slots.Time.IsZero() {
		t.Errorf("%q: datetime %q without a time", text, p.Slots.Datetime)
	}
	if _, err := json.Marshal(p); err != nil {
		t.Errorf("%q: %v", text, err)
	}
}

func TestPipelineBadInput(t *testing.T) {
	p := NewPipeline(nil, testCatalog())
	tests := []struct {
		name, text string
	}{
		{"empty", ""},
		{"white space", " \t\n  "},
		{"long", strings.Repeat("후라이드 한 마리랑 콜라 두 개 ", 400)},
		{"invalid UTF-8", "후라이드\xff\xfe 한 마리 \xc3"},
		{"only emoji", "🍗🍕🍔😋👍🏻"},
		{"mixed scripts", "치킨 chicken 鸡 курица 2개 ٢ ①"},
		{"control characters", "콜라\x00\x01\x1b[31m 하나"},
		{"numbers only", "1234567890123456789012345678901234567890"},
		{"huge count", "콜라 99999999999999999999개"},
		{"lone jamo", "ㅎㅜㄹㅏㅇㅣㄷㅡ ㅋㅋㅋ"},
		{"punctuation", "?!.,~~~!!!"},
	}
	for _, tc := range tests {
		for _, intent := range Intents() {
			got := p.parse(tc.text, testRef, intent)
			checkParse(t, tc.name, got)
		}
		got := p.Parse(tc.text, testRef)
		checkParse(t, tc.name, got)
		if strings.TrimSpace(tc.text) == "" && (got.Intent != IntentOutOfScope || len(got.Links) != 0) {
			t.Errorf("%s: got %+v, want out_of_scope and nothing else", tc.name, got)
		}
	}
}

func TestParseCorrectionAndOrdinal(t *testing.T) {
	p := NewPipeline(nil, testCatalog())
	tests := []struct {
		text       string
		ordinal    int
		correction bool
	}{
		{"2번으로 할게요", 2, false},
		{"첫 번째 가게", 1, false},
		{"세 번째요", 3, false},
		{"세 마리 말고 두 마리", 0, true},
		{"아니 양념으로 바꿔줘", 0, true},
		{"아니요", 0, false},
		{"대학로12번길 5", 0, false},
	}
	for _, tc := range tests {
		got := p.parse(tc.text, testRef, IntentAffirm)
		if got.Ordinal != tc.ordinal || got.Correction != tc.correction {
			t.Errorf("%q: ordinal %d correction %v, want %d %v", tc.text, got.Ordinal, got.Correction, tc.ordinal, tc.correction)
		}
	}
}

func FuzzPipeline(f *testing.F) {
	for _, s := range []string{
		"교촌 허니콤보 두 마리 시켜줘", "후라이드한마리랑양념두마리", "콜라는 빼고", "R석 2매", "",
		"서울 종로구 대학로 12로 보내줘", "내일 저녁 7시 30분", "🍗", "\xff", "2만원 이하", "ㅋㅋㅋ",
	} {
		f.Add(s, uint8(len(s)))
	}
	p := NewPipeline(nil, testCatalog())
	intents := Intents()
	f.Fuzz(func(t *testing.T, text string, k uint8) {
		checkParse(t, text, p.parse(text, testRef, intents[int(k)%len(intents)]))
		checkParse(t, text, p.Parse(text, testRef))
	})
}

// TestPipelineConcurrent parses from many goroutines at once; run with
// -race, it checks that a Pipeline and its Catalog are safe to share.
func TestPipelineConcurrent(t *testing.T) {
	p := NewPipeline(nil, testCatalog())
	texts := []string{"교촌 허니콤보 두 마리", "후리이드 한 마리", "R석 두 장", "콜라는 빼고", "근처 치킨집"}
	want := make([]string, len(texts))
	for i, s := range texts {
		b, _ := json.Marshal(p.parse(s, testRef, IntentAddToOrder))
		want[i] = string(b)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				k := (g + i) % len(texts)
				b, _ := json.Marshal(p.parse(texts[k], testRef, IntentAddToOrder))
				if string(b) != want[k] {
					done <- fmt.Errorf("%q: got %s, want %s", texts[k], b, want[k])
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
