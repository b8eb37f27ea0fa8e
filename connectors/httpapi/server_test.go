package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// fakeAssistant answers with its function field.
type fakeAssistant struct {
	RespondFn func(ctx context.Context, t sodam.Turn) (*sodam.Response, error)
}

var _ sodam.Assistant = (*fakeAssistant)(nil)

func (f *fakeAssistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	return f.RespondFn(ctx, t)
}

func TestChat(t *testing.T) {
	var got sodam.Turn
	a := &fakeAssistant{RespondFn: func(ctx context.Context, turn sodam.Turn) (*sodam.Response, error) {
		got = turn
		switch turn.Text {
		case "품절":
			return nil, sodam.Errorf(sodam.ECONFLICT, "품절이에요.")
		case "버그":
			return nil, context.DeadlineExceeded
		}
		return &sodam.Response{Text: "안녕하세요!"}, nil
	}}
	srv := httptest.NewServer(httpapi.NewServer(a, nil))
	defer srv.Close()

	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
		wantText   string
	}{
		{"ok", `{"user_id":"u-1","text":"안녕","message_id":"m1"}`, 200, "", "안녕하세요!"},
		{"conflict shows its message", `{"user_id":"u-1","text":"품절"}`, 409, "conflict", "품절이에요."},
		{"internal hides the cause", `{"user_id":"u-1","text":"버그"}`, 500, "internal", "죄송해요, 잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."},
		{"missing user", `{"text":"안녕"}`, 400, "invalid", ""},
		{"unknown field", `{"user_id":"u","text":"a","admin":true}`, 400, "invalid", ""},
		{"not json", `안녕`, 400, "invalid", ""},
		{"too large", `{"user_id":"u","text":"` + strings.Repeat("가", 20000) + `"}`, 413, "invalid", "메시지가 너무 길어요."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := http.Post(srv.URL+"/v1/chat", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tc.wantStatus)
			}
			if tc.wantCode == "" {
				var cr httpapi.ChatResponse
				if err := json.NewDecoder(res.Body).Decode(&cr); err != nil {
					t.Fatal(err)
				}
				if cr.Response.Text != tc.wantText {
					t.Errorf("text = %q, want %q", cr.Response.Text, tc.wantText)
				}
				return
			}
			var eb httpapi.ErrorBody
			if err := json.NewDecoder(res.Body).Decode(&eb); err != nil {
				t.Fatal(err)
			}
			if eb.Error.Code != tc.wantCode {
				t.Errorf("code = %q, want %q", eb.Error.Code, tc.wantCode)
			}
			if tc.wantText != "" && eb.Error.Message != tc.wantText {
				t.Errorf("message = %q, want %q", eb.Error.Message, tc.wantText)
			}
		})
	}
	if got.Channel != "http" || got.UserID != "u-1" {
		t.Errorf("turn = %+v, want channel http and user u-1", got)
	}
}

func TestProbes(t *testing.T) {
	s := httpapi.NewServer(&fakeAssistant{}, nil)
	down := true
	s.Ready = func(ctx context.Context) error {
		if down {
			return sodam.Errorf(sodam.EUNAVAILABLE, "db down")
		}
		return nil
	}
	for _, tc := range []struct {
		path string
		down bool
		want int
	}{{"/healthz", true, 200}, {"/readyz", true, 503}, {"/readyz", false, 200}} {
		down = tc.down
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.want {
			t.Errorf("%s (down=%v) = %d, want %d", tc.path, tc.down, rec.Code, tc.want)
		}
	}
}

// TestReadyzNamesADegradedPart: a bus that is down leaves the service
// ready (turns go on) and /readyz says what is degraded.
func TestReadyzNamesADegradedPart(t *testing.T) {
	s := httpapi.NewServer(&fakeAssistant{}, nil)
	busDown := true
	s.Degraded = func(ctx context.Context) error {
		if busDown {
			return errors.New("bus: not connected; events wait in the outbox")
		}
		return nil
	}
	for _, down := range []bool{true, false} {
		busDown = down
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		var body struct {
			Ready    bool   `json:"ready"`
			Degraded string `json:"degraded"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if rec.Code != 200 || !body.Ready || (body.Degraded != "") != down {
			t.Errorf("bus down=%v: /readyz = %d %s", down, rec.Code, rec.Body)
		}
	}
}
