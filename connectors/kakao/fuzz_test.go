package kakao_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/kakao"
)

// echoAssistant answers every turn with its text and a card, or with an
// application error when the text asks for one.
type echoAssistant struct{}

func (echoAssistant) Respond(_ context.Context, t sodam.Turn) (*sodam.Response, error) {
	if strings.Contains(t.Text, "오류") {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Message: "잠시 뒤에 다시 시도해 주세요."}
	}
	return &sodam.Response{Text: t.Text, QuickReplies: []sodam.QuickReply{{Label: "네", MessageText: "네"}}}, nil
}

// FuzzSkillRequest posts arbitrary bodies to the skill: it must never
// panic, and must answer 400 for what it cannot read or a valid skill
// response (version 2.0, outputs within Kakao's limits) for the rest.
func FuzzSkillRequest(f *testing.F) {
	for _, seed := range []string{
		`{"userRequest":{"utterance":"교동치킨 후라이드 한 마리 시켜줘","user":{"id":"u1","type":"botUserKey"}}}`,
		`{"intent":{"id":"i","name":"폴백 블록"},"userRequest":{"timezone":"Asia/Seoul","utterance":"결과 보기","lang":"ko","user":{"id":"u2","type":"botUserKey","properties":{"plusfriendUserKey":"pf"}}},"bot":{"id":"b","name":"소담"},"action":{"id":"a","name":"skill","params":{"x":"1"}}}`,
		`{"userRequest":{"utterance":"오류 내 줘","user":{"id":"u3"},"callbackUrl":"https://bot-api.kakao.com/callback/x"}}`,
		`{"userRequest":{"utterance":"  ","user":{"id":"u1"}}}`,
		`{"userRequest":{"utterance":"안녕","user":{"id":""}}}`,
		`{"userRequest":{"utterance":"\u0000\ud800","user":{"id":"\u2028"}}}`,
		`{"userRequest":{"utterance":1}}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add(seed)
	}
	h := kakao.New(echoAssistant{}, nil, kakao.Config{Budget: time.Second, TurnTimeout: time.Second,
		AllowCallback: func(*url.URL) bool { return false }})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/kakao/skill", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusBadRequest:
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		var resp kakao.SkillResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer is not a skill response: %v\n%s", err, rec.Body.String())
		}
		if err := resp.Validate(); err != nil {
			t.Fatalf("invalid skill response for %q: %v\n%s", body, err, rec.Body.String())
		}
	})
}
