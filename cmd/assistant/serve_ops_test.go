package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/kakao"
)

// opsRefTime is when these tests' clocks start: a Tuesday evening, when
// the demo's chicken stores are open.
var opsRefTime = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// startOps wires the service as serve does (metrics, the payment provider
// chosen from env, the HTTP API and the Kakao skill) behind a test server.
func startOps(t testing.TB, env map[string]string) (*app, *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	getenv := func(k string) string { return env[k] }
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	start := time.Now()
	clock := sodam.ClockFunc(func() time.Time { return opsRefTime.Add(time.Since(start)) })
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	metrics := httpapi.NewMetrics(nil)
	pay, err := kakaoPayFromEnv(getenv, logger)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, appConfig{Clock: clock, BaseURL: base, Pay: pay, Metrics: metrics, Logger: logger})
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	api := httpapi.NewServer(a.Assistant, logger, httpapi.WithMetrics(metrics))
	if _, err := mountKakao(ctx, api, a, getenv); err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = api
	ts.Start()
	t.Cleanup(func() { ts.Close(); a.Close() })
	return a, ts
}

// withAddress registers user with a delivery address, as the contracts'
// scenarios do, so that an order goes straight to its confirmation.
func withAddress(t *testing.T, a *app, user string) {
	t.Helper()
	if err := a.Store.UpsertUser(context.Background(), &sodam.User{ID: user, Address: "서울 종로구 대학로 12", Lat: 37.58, Lng: 127.00}); err != nil {
		t.Fatal(err)
	}
}

// chatTurn posts one /v1/chat turn and returns the response.
func chatTurn(t *testing.T, base, user, text string) *sodam.Response {
	t.Helper()
	body, _ := json.Marshal(httpapi.ChatRequest{UserID: user, Text: text})
	res, err := http.Post(base+"/v1/chat", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var cr httpapi.ChatResponse
	if err := json.NewDecoder(res.Body).Decode(&cr); err != nil || res.StatusCode != 200 {
		t.Fatalf("%q: status %d, %v", text, res.StatusCode, err)
	}
	return cr.Response
}

func scrapeMetrics(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func TestServeMetricsAfterChatTurns(t *testing.T) {
	a, ts := startOps(t, nil)
	withAddress(t, a, "u-1")
	if a.Pay.Name() != "sandbox" {
		t.Errorf("provider %q, want the sandbox when no KakaoPay key is set", a.Pay.Name())
	}
	for _, text := range []string{"교동치킨 후라이드 한 마리 시켜줘", "카카오페이로 결제할게", "네"} {
		chatTurn(t, ts.URL, "u-1", text)
	}
	page := scrapeMetrics(t, ts.URL)
	for _, want := range []string{
		`sodam_turns_total{channel="http",intent="add_to_order"} 1`,
		`sodam_turn_duration_seconds_count{channel="http"} 3`,
		`sodam_tool_calls_total{code="ok",tool="pay"} 1`,
		`sodam_payments_total{provider="sandbox",status="ready"} 1`,
		`sodam_payments_total{provider="sandbox",status="approved"} 1`,
		`sodam_http_requests_total{route="POST /v1/chat",status="200"} 3`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", grepLines(page, "sodam_"))
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) && !strings.Contains(l, "_bucket") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func postSkill(t *testing.T, base, secret, user, utterance string) (int, *kakao.SkillResponse) {
	t.Helper()
	var sr kakao.SkillRequest
	sr.UserRequest.Utterance = utterance
	sr.UserRequest.User = kakao.SkillUser{ID: user, Type: "botUserKey"}
	body, _ := json.Marshal(sr)
	req, _ := http.NewRequest(http.MethodPost, base+"/kakao/skill", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(kakao.SecretHeader, secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out kakao.SkillResponse
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, &out
}

func TestServeKakaoSkill(t *testing.T) {
	_, ts := startOps(t, map[string]string{"SODAM_KAKAO_SECRET": "kakao-skill-secret"})
	if code, _ := postSkill(t, ts.URL, "", "bot-user-1", "안녕하세요"); code != http.StatusUnauthorized {
		t.Errorf("without the secret: %d, want 401", code)
	}
	if code, _ := postSkill(t, ts.URL, "wrong", "bot-user-1", "안녕하세요"); code != http.StatusUnauthorized {
		t.Errorf("with a wrong secret: %d, want 401", code)
	}
	for _, text := range []string{"안녕하세요", "교동치킨 메뉴 보여줘", "근처 치킨집 찾아줘"} {
		t.Run(text, func(t *testing.T) {
			code, resp := postSkill(t, ts.URL, "kakao-skill-secret", "bot-user-1", text)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if err := resp.Validate(); err != nil {
				t.Errorf("answer breaks Kakao's limits: %v", err)
			}
			if resp.UseCallback || resp.Template == nil || len(resp.Template.Outputs) == 0 {
				t.Errorf("answer %+v", resp)
			}
		})
	}
	page := scrapeMetrics(t, ts.URL)
	for _, want := range []string{`sodam_turns_total{channel="kakao",intent="greet"} 1`, `sodam_kakao_replies_total{outcome="direct"} 3`} {
		if !strings.Contains(page, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grepLines(page, "sodam_"))
		}
	}
}

// fakeKakaoPayReady answers KakaoPay's ready call and records its calls.
type fakeKakaoPayReady struct {
	mu    sync.Mutex
	auth  []string
	paths []string
	body  map[string]any
}

func (f *fakeKakaoPayReady) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.paths = append(f.paths, r.URL.Path)
	_ = json.NewDecoder(r.Body).Decode(&f.body)
	if r.URL.Path != "/online/v1/payment/ready" {
		http.Error(w, `{"error_code":-1,"error_message":"unexpected"}`, http.StatusBadRequest)
		return
	}
	fmt.Fprint(w, `{"tid":"T1234567890123456789","next_redirect_pc_url":"https://online-pay.kakao.com/mockup/v1/T1/info","next_redirect_mobile_url":"https://online-pay.kakao.com/mockup/v1/T1/mInfo","created_at":"2026-11-24T18:00:00"}`)
}

func TestServeUsesKakaoPayWhenItsKeyIsSet(t *testing.T) {
	fake := &fakeKakaoPayReady{}
	kp := httptest.NewServer(fake)
	defer kp.Close()
	a, ts := startOps(t, map[string]string{"SODAM_KAKAOPAY_SECRET_KEY": "DEVKEY", "SODAM_KAKAOPAY_BASE_URL": kp.URL})
	if a.Pay.Name() != "kakaopay" {
		t.Fatalf("provider %q, want kakaopay", a.Pay.Name())
	}
	withAddress(t, a, "u-1")
	var last *sodam.Response
	for _, text := range []string{"교동치킨 후라이드 한 마리 시켜줘", "카카오페이로 결제할게", "네"} {
		last = chatTurn(t, ts.URL, "u-1", text)
	}
	if last.Payment == nil || last.Payment.URL != "https://online-pay.kakao.com/mockup/v1/T1/info" {
		t.Fatalf("last answer %+v, want a KakaoPay payment link", last)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.paths) != 1 || fake.auth[0] != "SECRET_KEY DEVKEY" || fake.body["cid"] != "TC0ONETIME" || fake.body["partner_user_id"] != "u-1" {
		t.Errorf("KakaoPay saw %v %v %v", fake.paths, fake.auth, fake.body)
	}
	if url, _ := fake.body["approval_url"].(string); !strings.HasPrefix(url, ts.URL+"/pay/return/") {
		t.Errorf("approval_url %q, want the service's return page", url)
	}
}
