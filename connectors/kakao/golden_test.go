package kakao_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/kakao"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fakeAssistant answers with its function field.
type fakeAssistant struct {
	RespondFn func(ctx context.Context, t sodam.Turn) (*sodam.Response, error)
}

var _ sodam.Assistant = (*fakeAssistant)(nil)

func (f *fakeAssistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	return f.RespondFn(ctx, t)
}

// cannedAnswer is testdata/golden/*/assistant.json: the assistant's
// response, or the error it fails with.
type cannedAnswer struct {
	sodam.Response
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// TestGolden posts each testdata/golden/*/request.json (a skill payload in
// Kakao's format) to the handler, with an assistant that answers
// assistant.json, and compares the answer with skill.golden.json. Every
// answer must also keep the platform's limits.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			reqBody := readFile(t, filepath.Join(dir, "request.json"))
			var canned cannedAnswer
			if err := json.Unmarshal(readFile(t, filepath.Join(dir, "assistant.json")), &canned); err != nil {
				t.Fatal(err)
			}
			var got sodam.Turn
			a := &fakeAssistant{RespondFn: func(ctx context.Context, turn sodam.Turn) (*sodam.Response, error) {
				got = turn
				if canned.Error != nil {
					return nil, &sodam.Error{Code: canned.Error.Code, Message: canned.Error.Message}
				}
				return &canned.Response, nil
			}}
			h := kakao.New(a, nil, kakao.Config{})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/kakao/skill", bytes.NewReader(reqBody)))
			if err := h.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}

			var req kakao.SkillRequest
			if err := json.Unmarshal(reqBody, &req); err != nil {
				t.Fatal(err)
			}
			want := sodam.Turn{UserID: "kakao:" + req.UserRequest.User.ID, Text: req.UserRequest.Utterance, Channel: "kakao"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("turn (-want +got):\n%s", diff)
			}

			var pretty bytes.Buffer
			if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden := filepath.Join(dir, "skill.golden.json")
			if *update {
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(string(readFile(t, golden)), pretty.String()); diff != "" {
				t.Errorf("skill response differs from %s (-want +got); run go test -update to accept:\n%s", golden, diff)
			}
			var doc any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for _, v := range checkLimits(doc) {
				t.Error(v)
			}
			if canned.Error == nil {
				if err := kakao.Render(&canned.Response).Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
		})
	}
}

// checkLimits walks a skill response as plain JSON and lists every limit
// it breaks. It is written apart from Validate so that the two check each
// other.
func checkLimits(doc any) []string {
	var bad []string
	report := func(path, what string, n, max int) {
		if n > max {
			bad = append(bad, path+": "+what+" "+strconv.Itoa(n)+" > "+strconv.Itoa(max))
		}
	}
	runes := func(v any) int { s, _ := v.(string); return utf8.RuneCountInString(s) }
	root := doc.(map[string]any)
	if root["version"] != "2.0" {
		bad = append(bad, "version is not 2.0")
	}
	tpl, _ := root["template"].(map[string]any)
	if tpl == nil {
		return append(bad, "no template")
	}
	outs, _ := tpl["outputs"].([]any)
	if len(outs) == 0 {
		bad = append(bad, "no outputs")
	}
	report("outputs", "count", len(outs), 3)
	qrs, _ := tpl["quickReplies"].([]any)
	report("quickReplies", "count", len(qrs), 10)
	for _, q := range qrs {
		report("quickReplies", "label runes", runes(q.(map[string]any)["label"]), 14)
	}
	var card func(path string, c map[string]any, listCard bool)
	card = func(path string, c map[string]any, listCard bool) {
		report(path, "title runes", runes(c["title"]), 50)
		report(path, "description runes", runes(c["description"]), 230)
		bs, _ := c["buttons"].([]any)
		if listCard {
			report(path, "buttons", len(bs), 2)
		} else {
			report(path, "buttons", len(bs), 3)
		}
		for _, b := range bs {
			report(path+".buttons", "label runes", runes(b.(map[string]any)["label"]), 14)
		}
		if h, ok := c["header"].(map[string]any); ok {
			report(path+".header", "title runes", runes(h["title"]), 50)
		}
		if items, ok := c["items"].([]any); ok {
			report(path, "rows", len(items), 5)
			for _, it := range items {
				card(path+".items", it.(map[string]any), false)
			}
		}
	}
	for _, o := range outs {
		for kind, v := range o.(map[string]any) {
			c := v.(map[string]any)
			switch kind {
			case "simpleText":
				report(kind, "text runes", runes(c["text"]), 1000)
			case "carousel":
				items, _ := c["items"].([]any)
				report(kind, "items", len(items), 10)
				for _, it := range items {
					card("carousel."+c["type"].(string), it.(map[string]any), c["type"] == "listCard")
				}
			default:
				card(kind, c, kind == "listCard")
			}
		}
	}
	return bad
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
