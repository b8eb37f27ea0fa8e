package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/ws"
)

// chatTestSecret signs the session tokens of the servers these tests start.
const chatTestSecret = "serve-test-secret-0123456789"

// chatRefTime is when the tests' clocks start: a Tuesday evening, when the
// demo's chicken stores are open.
var chatRefTime = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// startChat starts the service wired as serve wires it, on the embedded
// store and a clock that starts at chatRefTime, behind a test server.
// redirect turns the sandbox's auto-approval off.
func startChat(t testing.TB, redirect bool) (*app, *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	start := time.Now()
	clock := sodam.ClockFunc(func() time.Time { return chatRefTime.Add(time.Since(start)) })
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a, err := newApp(ctx, appConfig{Clock: clock, BaseURL: base, SandboxRedirect: redirect, Logger: logger})
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	api := httpapi.NewServer(a.Assistant, logger)
	api.Handle("/pay/sandbox/", a.Sandbox.Handler())
	getenv := func(k string) string {
		if k == "SODAM_SESSION_SECRET" {
			return chatTestSecret
		}
		return ""
	}
	drain, err := mountChat(ctx, api, a, base, getenv)
	if err != nil {
		t.Fatalf("mountChat: %v", err)
	}
	ts.Config.Handler = api
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		drain(ctx)
		ts.Close()
		a.Close()
	})
	return a, ts
}

// chatFrame is any server frame of the websocket protocol.
type chatFrame struct {
	Type      string          `json:"type"`
	UserID    string          `json:"user_id"`
	Token     string          `json:"token"`
	Resumed   bool            `json:"resumed"`
	ReplyTo   string          `json:"reply_to"`
	Response  *sodam.Response `json:"response"`
	Replayed  bool            `json:"replayed"`
	Event     string          `json:"event"`
	PaymentID string          `json:"payment_id"`
	OrderID   string          `json:"order_id"`
	Amount    int64           `json:"amount"`
	Code      string          `json:"code"`
	Message   string          `json:"message"`
}

// chatClient is a websocket client of the chat.
type chatClient struct {
	t    testing.TB
	conn *websocket.Conn
	user string
	tok  string
	seq  int
}

// dialChat connects and says hello with token (empty for a new user) and
// the demo profile.
func dialChat(t testing.TB, ts *httptest.Server, token string) *chatClient {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &chatClient{t: t, conn: conn}
	c.write(ws.Hello{Type: ws.TypeHello, Token: token,
		Profile: &ws.Profile{Address: "서울 종로구 대학로 12", Lat: 37.582, Lng: 127.0018}})
	f := c.next()
	if f.Type != ws.TypeWelcome {
		t.Fatalf("hello got %+v, want welcome", f)
	}
	c.user, c.tok = f.UserID, f.Token
	return c
}

func (c *chatClient) write(v any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next returns the next frame other than a typing indicator.
func (c *chatClient) next() chatFrame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

func (c *chatClient) read() (chatFrame, error) {
	c.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var f chatFrame
		if err := c.conn.ReadJSON(&f); err != nil {
			return f, err
		}
		if f.Type != ws.TypeTyping {
			return f, nil
		}
	}
}

// say sends text with a fresh message id and returns the reply.
func (c *chatClient) say(text string) *sodam.Response {
	c.t.Helper()
	c.seq++
	// Message ids are unique per user, across the user's connections.
	return c.sayID(fmt.Sprintf("m-%d-%d", time.Now().UnixNano(), c.seq), text)
}

// sayID sends text with the given message id and returns the reply.
func (c *chatClient) sayID(id, text string) *sodam.Response {
	c.t.Helper()
	c.write(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: id, Text: text})
	for {
		f := c.next()
		if f.Type == ws.TypeAssistantMessage && f.ReplyTo == id {
			return f.Response
		}
		if f.Type == ws.TypeError {
			c.t.Fatalf("%q got error %+v", text, f)
		}
	}
}

// paidOrders returns the user's paid orders.
func paidOrders(t testing.TB, st sodam.Store, userID string) []*sodam.Order {
	t.Helper()
	orders, err := st.OrdersByUser(context.Background(), userID)
	if err != nil {
		t.Fatalf("orders: %v", err)
	}
	var paid []*sodam.Order
	for _, o := range orders {
		if o.Status == sodam.OrderPaid {
			paid = append(paid, o)
		}
	}
	return paid
}

func TestServeChatOrder(t *testing.T) {
	a, ts := startChat(t, false)
	c := dialChat(t, ts, "")

	r := c.say("교촌 허니콤보 두 마리 시켜줘")
	if !strings.Contains(r.Text, "허니콤보") || len(r.QuickReplies) == 0 {
		t.Fatalf("order reply = %+v, want the cart with quick replies", r)
	}
	r = c.say("주문할게요")
	if !strings.Contains(r.Text, "49,000원") || !strings.Contains(r.Text, "서울 종로구 대학로 12") {
		t.Fatalf("checkout reply = %q, want the total and the profile's address", r.Text)
	}
	r = c.sayID("confirm", "네")
	if !strings.Contains(r.Text, "결제가 완료됐어요") {
		t.Fatalf("confirm reply = %q, want paid", r.Text)
	}
	// A resend after a reconnect gets the same reply and charges nothing.
	again := dialChat(t, ts, c.tok)
	if again.user != c.user {
		t.Fatalf("resumed as %s, want %s", again.user, c.user)
	}
	if r2 := again.sayID("confirm", "네"); r2.Text != r.Text {
		t.Errorf("resend reply = %q, want %q", r2.Text, r.Text)
	}
	if n := a.Sandbox.Charges(); n != 1 {
		t.Errorf("%d charges, want 1", n)
	}
	paid := paidOrders(t, a.Store, c.user)
	if len(paid) != 1 || paid[0].Total != 49000 {
		t.Fatalf("paid orders = %+v, want one of 49,000원", paid)
	}
	// The dialogue is intact after the reconnect.
	if r := again.say("주문 상태 알려줘"); !strings.Contains(r.Text, "결제가 끝나서") {
		t.Errorf("status after resume = %q", r.Text)
	}
}

func TestServeChatIsolation(t *testing.T) {
	a, ts := startChat(t, false)
	alice := dialChat(t, ts, "")
	alice.say("교촌 허니콤보 두 마리 시켜줘")
	alice.say("주문할게요")
	alice.say("네")

	bob := dialChat(t, ts, "")
	if bob.user == alice.user {
		t.Fatal("two new users got the same id")
	}
	if r := bob.say("주문 상태 알려줘"); strings.Contains(r.Text, "허니콤보") || strings.Contains(r.Text, "49,000원") {
		t.Errorf("bob sees alice's order: %q", r.Text)
	}
	if r := bob.say("주문 취소해줘"); strings.Contains(r.Text, "취소했") {
		t.Errorf("bob cancelled something: %q", r.Text)
	}
	if paid := paidOrders(t, a.Store, alice.user); len(paid) != 1 {
		t.Errorf("alice's paid orders = %d, want 1", len(paid))
	}

	// A token for alice's id signed with another key, or bob's token with
	// alice's id put in, is refused.
	forged, _ := ws.NewTokens([]byte("not-the-server-secret-0000"), 0, nil).Issue(alice.user)
	parts := strings.Split(bob.tok, ".")
	spliced := strings.Join([]string{parts[0], strings.Split(alice.tok, ".")[1], parts[2], parts[3]}, ".")
	for name, tok := range map[string]string{"forged": forged, "spliced": spliced} {
		t.Run(name, func(t *testing.T) {
			conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			c := &chatClient{t: t, conn: conn}
			c.write(ws.Hello{Type: ws.TypeHello, Token: tok})
			if f := c.next(); f.Type != ws.TypeError || f.Code != sodam.EUNAUTHORIZED {
				t.Fatalf("hello with a %s token got %+v, want unauthorized", name, f)
			}
			_, err = c.read()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != ws.ClosePolicy {
				t.Errorf("connection ended with %v, want close %d", err, ws.ClosePolicy)
			}
		})
	}
}

func TestServePaymentReturn(t *testing.T) {
	a, ts := startChat(t, true)
	c := dialChat(t, ts, "")
	other := dialChat(t, ts, "")
	c.say("교촌 허니콤보 두 마리 시켜줘")
	c.say("주문할게요")
	r := c.say("네")
	if r.Payment == nil || !strings.Contains(r.Payment.URL, "/pay/sandbox/") {
		t.Fatalf("confirm reply = %+v, want a payment button", r)
	}
	if paid := paidOrders(t, a.Store, c.user); len(paid) != 0 {
		t.Fatalf("paid before approval: %+v", paid)
	}

	// The sandbox page's 결제하기 posts and redirects to the return page
	// with the token; a wrong token charges nothing.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Post(r.Payment.URL, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back := resp.Header.Get("Location")
	if !strings.Contains(back, "/pay/return/"+r.Payment.PaymentID) || !strings.Contains(back, "pg_token=") {
		t.Fatalf("sandbox redirects to %q, want the return page with a token", back)
	}
	bad := regexp.MustCompile(`pg_token=[^&]+`).ReplaceAllString(back, "pg_token=wrong")
	if status, body := chatGet(t, bad); status != http.StatusUnauthorized || !strings.Contains(body, "결제를 마치지 못했어요") {
		t.Errorf("wrong token: %d %q", status, body)
	}
	if a.Sandbox.Charges() != 0 {
		t.Fatal("a wrong token charged")
	}
	status, body := chatGet(t, back)
	if status != http.StatusOK || !strings.Contains(body, "결제가 완료됐어요") || !strings.Contains(body, "49,000원") {
		t.Fatalf("return page: %d %q", status, body)
	}
	if status, _ := chatGet(t, back); status != http.StatusOK {
		t.Errorf("return page again: %d, want 200", status)
	}
	if a.Sandbox.Charges() != 1 {
		t.Errorf("%d charges, want 1", a.Sandbox.Charges())
	}

	// The chat hears of it; the other user does not.
	f := c.next()
	if f.Type != ws.TypeEvent || f.Event != ws.EventPaymentApproved || f.PaymentID != r.Payment.PaymentID || f.Amount != 49000 {
		t.Errorf("event = %+v, want payment_approved", f)
	}
	if f := c.next(); f.Type != ws.TypeEvent || f.Event != ws.EventOrderStatus || f.OrderID == "" {
		t.Errorf("event = %+v, want order_status", f)
	}
	if r := other.say("안녕"); r == nil {
		t.Error("the other user got no reply")
	}
	if paid := paidOrders(t, a.Store, c.user); len(paid) != 1 || paid[0].Total != 49000 {
		t.Errorf("paid orders = %+v, want one of 49,000원", paid)
	}
}

func chatGet(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeCommand runs the serve command itself: the page, a turn over
// the websocket, and a shutdown that closes the connection with 1001.
func TestServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	getenv := func(k string) string {
		if k == "SODAM_SESSION_SECRET" {
			return chatTestSecret
		}
		return ""
	}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, getenv, strings.NewReader(""), &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`http://localhost:\d+`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == ""; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		base = addr.FindString(stdout.String())
	}
	base = strings.Replace(base, "localhost", "127.0.0.1", 1)

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `<html lang="ko">`) ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET / = %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	if strings.Contains(stderr.String(), "SODAM_SESSION_SECRET is not set") {
		t.Error("warned about a missing secret that was set")
	}

	ts := &httptest.Server{URL: base}
	c := dialChat(t, ts, "")
	if r := c.say("안녕하세요"); r.Text == "" {
		t.Error("empty reply")
	}
	cancel()
	_, err = c.read()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("at shutdown the connection ended with %v, want close 1001", err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve = %v", err)
	}
}

// chromiumPath is where the browser test finds Chromium: $SODAM_CHROMIUM,
// else Debian's /usr/bin/chromium.
func chromiumPath() string {
	if p := os.Getenv("SODAM_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// browser is a headless Chromium tab on the web chat, with a directory
// for its screenshots.
type browser struct {
	t       *testing.T
	ctx     context.Context
	shots   string
	n       int
	dialogs atomic.Int32 // alert/confirm/prompt dialogs the page opened
}

// openBrowser starts Chromium with a fresh profile and opens url. A
// missing Chromium fails the test: CI installs it (Debian packages
// chromium and fonts-nanum).
func openBrowser(t *testing.T, url, name string) *browser {
	t.Helper()
	exe := chromiumPath()
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("Chromium is needed at %s (apt-get install chromium fonts-nanum, or set SODAM_CHROMIUM): %v", exe, err)
	}
	dir := os.Getenv("SODAM_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	shots := filepath.Join(dir, "e2e", name)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-popup-blocking", false),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(440, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, shots: shots}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			b.dialogs.Add(1)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return b
}

// do runs actions with a time limit.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot(b.ctx, "failed")
		b.t.Fatalf("%s: %v", what, err)
	}
}

// waitFor waits until the JavaScript expression is truthy.
func (b *browser) waitFor(ctx context.Context, what, expr string) {
	b.t.Helper()
	// A navigation ends a poll early: poll again in the new page.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || errors.Is(err, chromedp.ErrPollingTimeout) {
			b.shot(ctx, "failed")
			b.t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitText waits until the chat shows text.
func (b *browser) waitText(text string) {
	b.t.Helper()
	b.waitFor(b.ctx, fmt.Sprintf("%q in the chat", text),
		fmt.Sprintf(`document.getElementById('messages').innerText.includes(%q)`, text))
}

// shot saves a screenshot of the tab of ctx.
func (b *browser) shot(ctx context.Context, name string) {
	b.t.Helper()
	b.n++
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("save screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}

// send types text into the chat and sends it.
func (b *browser) send(text string) {
	b.t.Helper()
	b.do("send "+text,
		chromedp.SendKeys(chromedp.ID("input"), text),
		chromedp.Click(chromedp.ID("send")))
}

// chip taps the quick reply labelled label.
func (b *browser) chip(label string) {
	b.t.Helper()
	b.do("tap "+label, chromedp.Click(chromedp.Search(
		fmt.Sprintf(`//div[@id="chips"]/button[normalize-space(.)=%q]`, label))))
}

// userID is the user the page's session belongs to.
func (b *browser) userID() string {
	b.t.Helper()
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.dataset.userId || ''`))
	if err != nil || id == "" {
		b.t.Fatalf("user id: %q %v", id, err)
	}
	return id
}

// TestWebChatInBrowser orders chicken in the web chat in a real headless
// Chromium, pays, and checks the paid order in the store: once approving
// in chat (the sandbox's default) and once with the payment button and
// the sandbox's approval page in a popup.
func TestWebChatInBrowser(t *testing.T) {
	t.Run("confirm in chat", func(t *testing.T) {
		a, ts := startChat(t, false)
		b := openBrowser(t, ts.URL, "confirm-in-chat")
		b.waitFor(b.ctx, "the connection", `document.getElementById('status').dataset.state === 'open'`)
		b.shot(b.ctx, "welcome")

		b.send("교촌 허니콤보 두 마리 시켜줘")
		b.waitText("장바구니에 담았어요")
		b.shot(b.ctx, "cart")
		b.chip("주문하기")
		b.waitText("결제할까요?")
		b.shot(b.ctx, "confirm")
		b.chip("네")
		b.waitText("결제가 완료됐어요")
		b.shot(b.ctx, "paid")

		paid := paidOrders(t, a.Store, b.userID())
		if len(paid) != 1 || paid[0].Total != 49000 {
			t.Fatalf("paid orders = %+v, want one of 49,000원", paid)
		}

		// Markup from the user is shown as text, never run.
		const xss = `<img src=x onerror=alert(1)>`
		b.send(xss)
		b.waitFor(b.ctx, "the message shown as text", fmt.Sprintf(
			`[...document.querySelectorAll('.row.user .bubble')].some(e => e.textContent === %q)`, xss))
		b.waitFor(b.ctx, "the reply to it", `document.querySelectorAll('.row.bot:not(.typing-row)').length >= 5`)
		injected, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#messages img[src="x"]').length`))
		if err != nil || injected != 0 {
			t.Errorf("the message became %d img elements (%v)", injected, err)
		}
		if n := b.dialogs.Load(); n != 0 {
			t.Errorf("the page opened %d dialogs", n)
		}
		b.shot(b.ctx, "markup-as-text")
	})

	t.Run("payment button", func(t *testing.T) {
		a, ts := startChat(t, true)
		b := openBrowser(t, ts.URL, "payment-button")
		b.waitFor(b.ctx, "the connection", `document.getElementById('status').dataset.state === 'open'`)
		b.send("교촌 허니콤보 두 마리 시켜줘")
		b.waitText("장바구니에 담았어요")
		b.chip("주문하기")
		b.waitText("결제할까요?")
		b.chip("네")
		b.waitText("아래 버튼을 눌러")
		b.waitFor(b.ctx, "the payment button", `!!document.querySelector('.pay-button:not([disabled])')`)
		b.shot(b.ctx, "payment-button")

		popups := chromedp.WaitNewTarget(b.ctx, func(info *target.Info) bool {
			return strings.Contains(info.URL, "/pay/sandbox/")
		})
		b.do("press the payment button", chromedp.Click(chromedp.CSS(".pay-button")))
		var id target.ID
		select {
		case id = <-popups:
		case <-time.After(30 * time.Second):
			b.shot(b.ctx, "failed")
			t.Fatal("the payment page did not open")
		}
		pop, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
		defer cancel()
		b.waitFor(pop, "the sandbox page", `!!document.querySelector('form button[type=submit]')`)
		b.shot(pop, "sandbox-page")
		if _, err := chromedp.Run(pop, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS("form button[type=submit]")))); err != nil {
			t.Fatalf("approve: %v", err)
		}
		b.waitFor(pop, "the return page", `document.getElementById('result')?.dataset.result === 'approved'`)
		b.shot(pop, "returned")

		// The chat hears of the approval while the popup is still open.
		b.waitText("결제가 완료됐어요. 49,000원 결제했어요.")
		b.waitFor(b.ctx, "the button marked paid", `document.querySelector('.pay-button').disabled`)
		if err := chromedp.Do(pop, chromedp.Click(chromedp.ID("back"))); err != nil {
			t.Logf("close the popup: %v", err)
		}
		b.shot(b.ctx, "paid")

		paid := paidOrders(t, a.Store, b.userID())
		if len(paid) != 1 || paid[0].Total != 49000 {
			t.Fatalf("paid orders = %+v, want one of 49,000원", paid)
		}
		if n := a.Sandbox.Charges(); n != 1 {
			t.Errorf("%d charges, want 1", n)
		}
	})
}

// BenchmarkWSTurn measures one turn over the websocket, from sending a
// user_message to reading its assistant_message, on the embedded store
// with the demo catalog, and reports the median and the 99th percentile:
//
//	go test -run '^$' -bench WSTurn -benchtime 2000x ./cmd/assistant
func BenchmarkWSTurn(b *testing.B) {
	// The chat as mountChat wires it, but without the per-connection rate
	// limit, which a loop of turns would hit.
	a, _ := startChat(b, false)
	chat := ws.NewServer(ws.Config{Assistant: a.Responder, Users: a.Store,
		Tokens: ws.NewTokens([]byte(chatTestSecret), 0, a.Clock), RateBurst: 1 << 30, RateEvery: time.Nanosecond})
	mux := http.NewServeMux()
	mux.Handle("GET /ws", chat)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	defer chat.Shutdown(context.Background())
	c := dialChat(b, ts, "")
	texts := []string{
		"근처 치킨집 찾아줘",
		"교촌 메뉴 보여줘",
		"오늘 할인하는 메뉴 있어?",
		"교촌 허니콤보 한 마리 시켜줘",
		"주문 상태 알려줘",
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		c.sayID(fmt.Sprintf("bench-%d", i), texts[i%len(texts)])
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	pct := func(p float64) float64 {
		return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
