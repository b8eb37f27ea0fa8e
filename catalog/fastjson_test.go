package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fastCases are lines on both sides of what fastDecode takes.
var fastCases = []string{
	goodMerchant, goodItem, goodEvent, goodSession,
	`{}`, `{"kind":"merchant"}`, ` {"kind" : "event" , "id":"e-1"} `,
	`{"aliases":[],"options":[],"seats":{}}`,
	`{"price":-0}`, `{"price":1e3}`, `{"price":18000.0}`, `{"lat":1E2,"lng":-0.5e-3}`,
	`{"Price":100}`, `{"price":1,"price":2}`, `{"seats":{"R":{"price":1,"available":2},"R":{"price":3,"available":4}}}`,
	`{"name":"a\"b"}`, `{"name":"\u00e9"}`, "{\"name\":\"\xff\"}", "{\"name\":\"a\tb\"}",
	`{"kind":null}`, `{"id":"x","memo":"unknown"}`, `{"options":[{"name":"순살","price":2000,"extra":1}]}`,
	`{"sold_out":true,"subscriber_only":false}`, `{"sold_out":"yes"}`, `{"discount_percent":99999999999999999999}`,
	`{"kind":"merchant"} x`, `{"kind":"merchant",}`, `[1]`, `"x"`, ``, `{`, `{"a"`,
	`{"seats":{"R":{"price":1}}}`, `{"seats":{"R":{}}}`, `{"options":[{}]}`, `{"aliases":["a",1]}`,
}

func TestFastDecodeAgreesWithEncodingJSON(t *testing.T) {
	lines := append([]string(nil), fastCases...)
	f, err := os.Open("demo/demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	taken := 0
	for _, line := range lines {
		if checkFastDecode(t, []byte(line)) {
			taken++
		}
	}
	if taken < len(lines)-len(fastCases) {
		t.Errorf("fastDecode took %d of %d lines, want every demo line", taken, len(lines))
	}
}

// checkFastDecode fails the test when fastDecode takes line but decodes it
// differently from encoding/json, and reports whether it took it.
func checkFastDecode(t *testing.T, line []byte) bool {
	t.Helper()
	var fast, slow wire
	if !fastDecode(line, &fast) {
		return false
	}
	if err := json.Unmarshal(line, &slow); err != nil {
		t.Errorf("fastDecode took %q, encoding/json fails: %v", line, err)
		return true
	}
	if diff := cmp.Diff(slow, fast); diff != "" {
		t.Errorf("%q decoded differently (-encoding/json +fast):\n%s", line, diff)
	}
	return true
}

func FuzzFastDecode(f *testing.F) {
	for _, c := range fastCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Count(line, "\n") > 0 {
			return
		}
		checkFastDecode(t, []byte(line))
	})
}

func TestFastDecodeRejects(t *testing.T) {
	// Lines fastDecode must leave to encoding/json, whose result or error
	// differs from a naive reading.
	for _, line := range []string{
		`{"Price":100}`, `{"price":1,"price":2}`, `{"name":"a\"b"}`, "{\"name\":\"\xff\"}",
		`{"kind":null}`, `{"id":"x","memo":"unknown"}`, `{"price":18000.0}`, `{"kind":"merchant"} x`,
	} {
		var w wire
		if fastDecode([]byte(line), &w) {
			t.Errorf("fastDecode took %q", line)
		}
	}
	var buf bytes.Buffer
	if err := writeSynthetic(&buf, 40); err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var w wire
		if !fastDecode(line, &w) {
			t.Errorf("fastDecode left %s to encoding/json", line)
		}
	}
}
