package kakao_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/kakao"
)

// skillRequest is a skill payload in Kakao's format.
func skillRequest(t *testing.T, user, utterance, callbackURL string) []byte {
	t.Helper()
	var r kakao.SkillRequest
	r.UserRequest.Utterance = utterance
	r.UserRequest.Timezone = "Asia/Seoul"
	r.UserRequest.User = kakao.SkillUser{ID: user, Type: "botUserKey", Properties: kakao.UserProperties{PlusfriendUserKey: "pf-" + user}}
	r.UserRequest.CallbackURL = callbackURL
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(h http.Handler, body []byte, header http.Header) (*httptest.ResponseRecorder, *kakao.SkillResponse) {
	req := httptest.NewRequest(http.MethodPost, "/kakao/skill", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp kakao.SkillResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &resp)
	return rec, &resp
}

// firstText is the text of the first output, or "".
func firstText(r *kakao.SkillResponse) string {
	if r.Template == nil || len(r.Template.Outputs) == 0 || r.Template.Outputs[0].SimpleText == nil {
		return ""
	}
	return r.Template.Outputs[0].SimpleText.Text
}

func texts(r *kakao.SkillResponse) []string {
	var out []string
	if r.Template == nil {
		return nil
	}
	for _, o := range r.Template.Outputs {
		if o.SimpleText != nil {
			out = append(out, o.SimpleText.Text)
		}
	}
	return out
}

func echo() *fakeAssistant {
	return &fakeAssistant{RespondFn: func(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
		return &sodam.Response{Text: "받았어요: " + t.Text}, nil
	}}
}

func TestSecret(t *testing.T) {
	h := kakao.New(echo(), nil, kakao.Config{Secret: "s3cret"})
	body := skillRequest(t, "u1", "안녕", "")
	tests := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"missing", nil, http.StatusUnauthorized},
		{"wrong", http.Header{"X-Sodam-Skill-Secret": {"s3cre"}}, http.StatusUnauthorized},
		{"longer", http.Header{"X-Sodam-Skill-Secret": {"s3cret!"}}, http.StatusUnauthorized},
		{"right", http.Header{"X-Sodam-Skill-Secret": {"s3cret"}}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, resp := post(h, body, tc.header)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			if tc.want == http.StatusOK && firstText(resp) != "받았어요: 안녕" {
				t.Errorf("answer %q", firstText(resp))
			}
		})
	}
	t.Run("no secret configured", func(t *testing.T) {
		rec, _ := post(kakao.New(echo(), nil, kakao.Config{}), body, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("status %d", rec.Code)
		}
	})
}

func TestBadRequests(t *testing.T) {
	h := kakao.New(echo(), nil, kakao.Config{})
	tests := []struct {
		name string
		body string
		want int
	}{
		{"not json", "안녕", http.StatusBadRequest},
		{"no user", `{"userRequest":{"utterance":"안녕","user":{"id":""}}}`, http.StatusBadRequest},
		{"empty utterance", `{"userRequest":{"utterance":"  ","user":{"id":"u1"}}}`, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _ := post(h, []byte(tc.body), nil)
			if rec.Code != tc.want {
				t.Errorf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
}

// slowAssistant blocks each turn whose text is "느린 질문" until release
// is closed; other turns answer at once.
type slowAssistant struct {
	release chan struct{}
	started chan struct{}
}

func newSlow() *slowAssistant {
	return &slowAssistant{release: make(chan struct{}), started: make(chan struct{}, 10)}
}

func (s *slowAssistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	if t.Text == "느린 질문" {
		s.started <- struct{}{}
		select {
		case <-s.release:
		case <-ctx.Done():
			return nil, sodam.Errorf(sodam.EUNAVAILABLE, "시간이 너무 오래 걸렸어요.")
		}
		return &sodam.Response{Text: "늦은 답이에요", QuickReplies: []sodam.QuickReply{{Label: "다시", MessageText: "다시"}}}, nil
	}
	return &sodam.Response{Text: "받았어요: " + t.Text}, nil
}

func TestSlowTurnWithoutCallbackIsHeldForTheNextMessage(t *testing.T) {
	slow := newSlow()
	var outcomes []string
	h := kakao.New(slow, nil, kakao.Config{Budget: 20 * time.Millisecond, Observe: func(o string) { outcomes = append(outcomes, o) }})

	_, resp := post(h, skillRequest(t, "u1", "느린 질문", ""), nil)
	if got := firstText(resp); got != kakao.LaterText {
		t.Fatalf("first answer %q, want the wait text", got)
	}
	if qr := resp.Template.QuickReplies; len(qr) != 1 || qr[0].MessageText != kakao.CheckText {
		t.Errorf("quick replies %+v, want one asking for the result", qr)
	}
	if err := resp.Validate(); err != nil {
		t.Error(err)
	}

	// Asked again while the turn still runs: still waiting.
	_, resp = post(h, skillRequest(t, "u1", kakao.CheckText, ""), nil)
	if got := firstText(resp); got != kakao.LaterText {
		t.Errorf("check while running = %q", got)
	}

	close(slow.release)
	if err := h.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The next message shows the late answer first, then its own.
	_, resp = post(h, skillRequest(t, "u1", "안녕", ""), nil)
	if got, want := texts(resp), []string{"늦은 답이에요", "받았어요: 안녕"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("next answer %q, want %q", got, want)
	}
	// Shown once only.
	_, resp = post(h, skillRequest(t, "u1", "안녕", ""), nil)
	if got := texts(resp); len(got) != 1 {
		t.Errorf("late answer shown again: %q", got)
	}
	// Another user never sees it.
	_, resp = post(h, skillRequest(t, "u2", kakao.CheckText, ""), nil)
	if strings.Contains(firstText(resp), "늦은") {
		t.Errorf("another user got %q", firstText(resp))
	}
	if got, want := strings.Join(outcomes, ","), "later,later,held,direct,direct"; got != want {
		t.Errorf("outcomes %s, want %s", got, want)
	}
}

func TestCheckTextShowsTheHeldAnswer(t *testing.T) {
	slow := newSlow()
	h := kakao.New(slow, nil, kakao.Config{Budget: 20 * time.Millisecond})
	post(h, skillRequest(t, "u1", "느린 질문", ""), nil)
	close(slow.release)
	if err := h.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, resp := post(h, skillRequest(t, "u1", kakao.CheckText, ""), nil)
	if got := texts(resp); len(got) != 1 || got[0] != "늦은 답이에요" {
		t.Errorf("check answer %q", got)
	}
}

func TestSlowTurnWithCallback(t *testing.T) {
	type posted struct {
		contentType string
		body        []byte
	}
	got := make(chan posted, 2)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- posted{r.Header.Get("Content-Type"), b}
		w.Write([]byte(`{"taskId":"t-1","status":"SUCCESS"}`))
	}))
	defer cb.Close()

	slow := newSlow()
	h := kakao.New(slow, nil, kakao.Config{
		CallbackBudget: 20 * time.Millisecond,
		AllowCallback:  func(u *url.URL) bool { return u.Host == strings.TrimPrefix(cb.URL, "http://") },
		Client:         cb.Client(),
	})
	rec, resp := post(h, skillRequest(t, "u1", "느린 질문", cb.URL+"/callback/abc"), nil)
	if rec.Code != http.StatusOK || !resp.UseCallback || resp.Template != nil || resp.Data["text"] != kakao.WaitText {
		t.Fatalf("acknowledgement %s", rec.Body)
	}
	if err := resp.Validate(); err != nil {
		t.Error(err)
	}
	close(slow.release)
	if err := h.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		var final kakao.SkillResponse
		if err := json.Unmarshal(p.body, &final); err != nil {
			t.Fatalf("callback body %s: %v", p.body, err)
		}
		if firstText(&final) != "늦은 답이에요" || final.UseCallback || !strings.HasPrefix(p.contentType, "application/json") {
			t.Errorf("callback %s (%s)", p.body, p.contentType)
		}
		if err := final.Validate(); err != nil {
			t.Error(err)
		}
	default:
		t.Fatal("nothing was posted to the callback URL")
	}
	if len(got) != 0 {
		t.Error("the callback URL was posted to more than once")
	}
	// The answer went through the callback, so it is not held.
	_, resp = post(h, skillRequest(t, "u1", "안녕", ""), nil)
	if n := len(texts(resp)); n != 1 {
		t.Errorf("answer after a callback has %d texts", n)
	}
}

func TestFastTurnWithCallbackAnswersDirectly(t *testing.T) {
	h := kakao.New(echo(), nil, kakao.Config{AllowCallback: func(*url.URL) bool { return true }})
	_, resp := post(h, skillRequest(t, "u1", "안녕", "https://bot-api.kakao.com/v1/callback/abc"), nil)
	if resp.UseCallback || firstText(resp) != "받았어요: 안녕" {
		t.Errorf("answer %+v", resp)
	}
}

func TestCallbackURLsOutsideKakaoAreNotUsed(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://bot-api.kakao.com/v1/callback/abc", true},
		{"https://kakao.com/cb", true},
		{"http://bot-api.kakao.com/v1/callback/abc", false},
		{"https://kakao.com.evil.example/cb", false},
		{"https://127.0.0.1/cb", false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := kakao.KakaoCallbackURL(u); got != tc.want {
				t.Errorf("KakaoCallbackURL = %v, want %v", got, tc.want)
			}
		})
	}
	// A slow turn with a refused callback URL falls back to holding.
	slow := newSlow()
	h := kakao.New(slow, nil, kakao.Config{Budget: 20 * time.Millisecond, CallbackBudget: 20 * time.Millisecond})
	_, resp := post(h, skillRequest(t, "u1", "느린 질문", "http://127.0.0.1:1/cb"), nil)
	if resp.UseCallback || firstText(resp) != kakao.LaterText {
		t.Errorf("answer %+v", resp)
	}
	close(slow.release)
	if err := h.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestErrorsAnswerWithText(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a message for the user", sodam.Errorf(sodam.ECONFLICT, "품절이에요."), "품절이에요."},
		{"internal hides the cause", &sodam.Error{Code: sodam.EINTERNAL, Message: "db down"}, "죄송해요, 잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."},
		{"a plain error", context.Canceled, "죄송해요, 잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."},
		{"unavailable without message", &sodam.Error{Code: sodam.EUNAVAILABLE}, "잠시 연결이 원활하지 않아요. 조금 뒤에 다시 시도해 주세요."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := kakao.New(&fakeAssistant{RespondFn: func(context.Context, sodam.Turn) (*sodam.Response, error) { return nil, tc.err }}, nil, kakao.Config{})
			rec, resp := post(h, skillRequest(t, "u1", "주문", ""), nil)
			if rec.Code != http.StatusOK || firstText(resp) != tc.want {
				t.Errorf("%d %q, want 200 %q", rec.Code, firstText(resp), tc.want)
			}
		})
	}
}

func TestUserKey(t *testing.T) {
	tests := []struct {
		name string
		user kakao.SkillUser
		want string
	}{
		{"botUserKey", kakao.SkillUser{ID: "abc", Type: "botUserKey"}, "kakao:abc"},
		{"plusfriendUserKey does not change the key", kakao.SkillUser{ID: "abc", Properties: kakao.UserProperties{PlusfriendUserKey: "pf"}}, "kakao:abc"},
		{"none", kakao.SkillUser{}, ""},
		{"too long", kakao.SkillUser{ID: strings.Repeat("a", 200)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r kakao.SkillRequest
			r.UserRequest.User = tc.user
			if got := kakao.UserKey(&r); got != tc.want {
				t.Errorf("UserKey = %q, want %q", got, tc.want)
			}
		})
	}
}
