package nlu

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtract checks that Extract never panics, that its entities lie in
// the text, do not overlap and come in order, and that each one marshals.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"내일 저녁 7시에 치킨 두 마리랑 2만5천원짜리 세트",
		"오후 2시부터 4시까지", "24~26일", "₩15,000", "1.5만원", "첫 번째", "\xff두\xfe마리",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, text string, offset int64) {
		ref := time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*3600)).
			Add(time.Duration(offset%(400*24)) * time.Hour)
		es := Extract(text, ref)
		n := utf8.RuneCountInString(text)
		prev := 0
		for _, e := range es {
			if e.Start < prev || e.Start >= e.End || e.End > n {
				t.Fatalf("%q: bad span [%d,%d) after %d in %d runes", text, e.Start, e.End, prev, n)
			}
			if !utf8.ValidString(e.Text) {
				t.Fatalf("%q: entity text %q is not valid UTF-8", text, e.Text)
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("%q: marshal %+v: %v", text, e, err)
			}
			prev = e.End
		}
	})
}
