package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/tools"
)

// startMerchant starts the service as serve wires it, the chat and the
// merchant side, and returns the merchant service too.
func startMerchant(t testing.TB) (*app, *httptest.Server, *merchant.Service) {
	t.Helper()
	a, ts := startChat(t, false)
	api, ok := ts.Config.Handler.(*httpapi.Server)
	if !ok {
		t.Fatalf("the test server serves %T, want *httpapi.Server", ts.Config.Handler)
	}
	svc, err := mountMerchant(context.Background(), api, a, func(string) string { return "" })
	if err != nil {
		t.Fatalf("mountMerchant: %v", err)
	}
	return a, ts, svc
}

// merchantCall calls the merchant API with key and decodes the answer
// into out (when not nil); it returns the status.
func merchantCall(t testing.TB, ts *httptest.Server, key, method, path string, body, out any) int {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return res.StatusCode
}

// apiError is the body of an error answer.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// waitEvent reads frames until an event named name arrives and returns
// its text; other frames are skipped.
func (c *chatClient) waitEvent(name, status string) string {
	c.t.Helper()
	for {
		var f struct {
			chatFrame
			Status string `json:"status"`
			Text   string `json:"text"`
		}
		c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if err := c.conn.ReadJSON(&f); err != nil {
			c.t.Fatalf("waiting for the %s %s event: %v", name, status, err)
		}
		if f.Type == ws.TypeEvent && f.Event == name && (status == "" || f.Status == status) {
			return f.Text
		}
	}
}

// TestMerchantEndToEnd is the whole loop: a customer orders and pays in
// chat over the websocket, the store accepts the order and takes it to
// 배달완료 through the API while the customer sees each step, the
// customer complains and gets the store's reply, and the day's
// settlement shows the order and the commission.
func TestMerchantEndToEnd(t *testing.T) {
	a, ts, svc := startMerchant(t)
	ctx := context.Background()
	c := dialChat(t, ts, "")
	c.say("교촌 허니콤보 두 마리 시켜줘")
	c.say("주문할게요")
	if r := c.say("네"); !strings.Contains(r.Text, "결제가 완료") {
		t.Fatalf("paying got %q", r.Text)
	}
	paid := paidOrders(t, a.Store, c.user)
	if len(paid) != 1 {
		t.Fatalf("paid orders %v, want one", paid)
	}
	o := paid[0]
	key, _, err := svc.IssueKey(ctx, o.MerchantID)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := svc.IssueKey(ctx, "m-001")
	if err != nil {
		t.Fatal(err)
	}
	if o.MerchantID == "m-001" {
		t.Fatal("the demo order is at m-001; pick another store for the other key")
	}

	// The order is in the store's inbox, and nobody else's.
	var inbox []merchant.OrderView
	if st := merchantCall(t, ts, key, "GET", "/v1/merchant/orders", nil, &inbox); st != 200 || len(inbox) != 1 || inbox[0].ID != o.ID {
		t.Fatalf("inbox: %d %+v, want the paid order %s", st, inbox, o.ID)
	}
	var none []merchant.OrderView
	if merchantCall(t, ts, other, "GET", "/v1/merchant/orders", nil, &none); len(none) != 0 {
		t.Errorf("another store's inbox has %d orders", len(none))
	}

	bad := []struct {
		name, key, method, path string
		body                    any
		status                  int
		code                    string
	}{
		{"no key", "", "GET", "/v1/merchant/orders", nil, 401, sodam.EUNAUTHORIZED},
		{"a wrong key", key[:len(key)-2] + "00", "GET", "/v1/merchant/orders", nil, 401, sodam.EUNAUTHORIZED},
		{"another store accepts", other, "POST", "/v1/merchant/orders/" + o.ID + "/accept", nil, 404, sodam.ENOTFOUND},
		{"another store reads", other, "GET", "/v1/merchant/orders/" + o.ID, nil, 404, sodam.ENOTFOUND},
		{"unknown order", key, "POST", "/v1/merchant/orders/o-999999/accept", nil, 404, sodam.ENOTFOUND},
		{"배달완료 before 조리중", key, "POST", "/v1/merchant/orders/" + o.ID + "/status", map[string]string{"status": "delivered"}, 409, sodam.ECONFLICT},
		{"not JSON", key, "POST", "/v1/merchant/orders/" + o.ID + "/status", "{", 400, sodam.EINVALID},
		{"negative price", key, "PATCH", "/v1/merchant/menu/" + o.Items[0].MenuItemID, map[string]int{"price": -1000}, 400, sodam.EINVALID},
		{"another store's menu", other, "PATCH", "/v1/merchant/menu/" + o.Items[0].MenuItemID, map[string]int{"price": 1000}, 404, sodam.ENOTFOUND},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var e apiError
			st := merchantCall(t, ts, tc.key, tc.method, tc.path, tc.body, &e)
			if st != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Errorf("%d %+v, want %d %s with a message", st, e, tc.status, tc.code)
			}
		})
	}
	if got, _ := a.Store.Order(ctx, o.ID); got.Status != sodam.OrderPaid {
		t.Fatalf("bad calls changed the order to %s", got.Status)
	}
	if it, _ := a.Store.MenuItem(ctx, o.Items[0].MenuItemID); it.Price < 0 {
		t.Fatalf("a bad call set the price to %d", it.Price)
	}

	// Each step reaches the customer's chat.
	for _, step := range []struct {
		path   string
		status sodam.OrderStatus
		text   string
	}{
		{"/accept", sodam.OrderAccepted, "접수"},
		{"/status", sodam.OrderCooking, "조리"},
		{"/status", sodam.OrderDelivering, "배달을 시작"},
		{"/status", sodam.OrderDelivered, "배달 완료"},
	} {
		var v merchant.OrderView
		var body any
		if step.path == "/status" {
			body = map[string]string{"status": string(step.status)}
		}
		if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+step.path, body, &v); st != 200 || v.Status != step.status {
			t.Fatalf("step %s: %d %+v", step.status, st, v.Order)
		}
		if text := c.waitEvent(ws.EventOrderStatus, string(step.status)); !strings.Contains(text, step.text) {
			t.Errorf("the customer saw %q for %s, want %q in it", text, step.status, step.text)
		}
		if step.status == sodam.OrderCooking {
			if r := c.say("주문 상태 알려줘"); !strings.Contains(r.Text, "조리하고 있어요") {
				t.Errorf("order_status while cooking said %q", r.Text)
			}
		}
	}

	// A complaint, answered by the store.
	c.say("치킨이 다 식어서 왔어요")
	var cs []merchant.ComplaintView
	if merchantCall(t, ts, key, "GET", "/v1/merchant/complaints", nil, &cs); len(cs) != 1 || cs[0].Order == nil || cs[0].Order.ID != o.ID {
		t.Fatalf("complaints %+v, want one about %s", cs, o.ID)
	}
	var e apiError
	if st := merchantCall(t, ts, other, "POST", "/v1/merchant/complaints/"+cs[0].ID+"/reply",
		map[string]any{"reply": "다른 가게예요", "resolve": true}, &e); st != 404 {
		t.Errorf("another store's reply: %d %+v, want 404", st, e)
	}
	var replied merchant.ComplaintView
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/complaints/"+cs[0].ID+"/reply",
		map[string]any{"reply": "죄송해요, 다음 주문에 음료를 서비스로 드릴게요.", "resolve": true}, &replied); st != 200 || replied.Status != sodam.ComplaintResolved {
		t.Fatalf("reply: %d %+v", st, replied)
	}
	if text := c.waitEvent(string(sodam.NoticeComplaintReply), ""); !strings.Contains(text, "음료를 서비스로") {
		t.Errorf("the customer saw %q, want the reply", text)
	}

	// The day's settlement.
	var s merchant.Settlement
	if st := merchantCall(t, ts, key, "GET", "/v1/merchant/settlement?date="+chatRefTime.Format(time.DateOnly), nil, &s); st != 200 {
		t.Fatalf("settlement: %d", st)
	}
	wantCom := o.Total * merchant.DefaultCommissionBP / 10000
	if s.Gross != o.Total || s.Commission != wantCom || s.Payout != o.Total-wantCom || len(s.Sales) != 1 || s.Sales[0].OrderID != o.ID {
		t.Errorf("settlement %+v, want the order %s of %d with commission %d", s, o.ID, o.Total, wantCom)
	}
}

// TestMerchantRejectRefunds rejects a paid order through the API: the
// payment is refunded at once and the customer is told why.
func TestMerchantRejectRefunds(t *testing.T) {
	a, ts, svc := startMerchant(t)
	ctx := context.Background()
	c := dialChat(t, ts, "")
	c.say("교촌 허니콤보 두 마리 시켜줘")
	c.say("주문할게요")
	c.say("네")
	o := paidOrders(t, a.Store, c.user)[0]
	key, _, _ := svc.IssueKey(ctx, o.MerchantID)
	var e apiError
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+"/reject", map[string]string{"reason": ""}, &e); st != 400 {
		t.Errorf("a rejection without a reason: %d, want 400", st)
	}
	var v merchant.OrderView
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+"/reject", map[string]string{"reason": "재료가 다 떨어졌어요"}, &v); st != 200 || v.Status != sodam.OrderCancelled {
		t.Fatalf("reject: %d %+v", st, v.Order)
	}
	if text := c.waitEvent(ws.EventOrderStatus, string(sodam.OrderCancelled)); !strings.Contains(text, "재료가 다 떨어졌어요") {
		t.Errorf("the customer saw %q", text)
	}
	p, err := a.Store.Payment(ctx, v.PaymentID)
	if err != nil || p.Status != sodam.PaymentCancelled {
		t.Fatalf("payment %+v %v, want cancelled", p, err)
	}
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+"/reject", map[string]string{"reason": "다시"}, &e); st != 409 {
		t.Errorf("a second rejection: %d, want 409", st)
	}
	got, _ := a.Pay.Lookup(ctx, p.TID)
	if got.CancelledAmount != p.Amount {
		t.Errorf("refunded %d at the provider, want %d", got.CancelledAmount, p.Amount)
	}
	if n := len(slices.DeleteFunc(paidOrders(t, a.Store, c.user), func(*sodam.Order) bool { return false })); n != 0 {
		t.Errorf("%d paid orders left", n)
	}
}

// TestMerchantCommands issues a key with `assistant merchant key` and
// settles a day with `assistant settle` on PostgreSQL: a sale, and a
// sale refunded the same day.
func TestMerchantCommands(t *testing.T) {
	dbURL := scratchDatabase(t)
	ctx := context.Background()
	st, closeStore, err := openStore(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.UpsertMerchant(ctx, &sodam.Merchant{ID: "m-x", Name: "소담분식", Category: "분식", Lat: 37.5, Lng: 127, Opens: "00:00", Closes: "24:00"}))
	noon := chatRefTime.Add(-6 * time.Hour)
	for i, amount := range []int64{19200, 15000} {
		o := &sodam.Order{UserID: "u-1", MerchantID: "m-x", Status: sodam.OrderDelivered, Total: amount, CreatedAt: noon}
		must(st.CreateOrder(ctx, o))
		approved := noon.Add(time.Duration(i) * time.Minute)
		p := &sodam.Payment{UserID: "u-1", OrderID: o.ID, Method: sodam.PayKakaoPay, Amount: amount, Status: sodam.PaymentApproved,
			IdempotencyKey: "order:" + o.ID, CreatedAt: approved, ApprovedAt: &approved}
		if i == 1 {
			cancelled := approved.Add(time.Hour)
			p.Status, p.CancelledAt = sodam.PaymentCancelled, &cancelled
		}
		_, _, err := st.CreatePayment(ctx, p)
		must(err)
	}
	closeStore()

	getenv := func(string) string { return "" }
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"merchant", "key", "--merchant", "m-x", "--database-url", dbURL}, getenv, nil, &out, &errb); err != nil {
		t.Fatalf("merchant key: %v\n%s", err, errb.String())
	}
	if key := strings.TrimSpace(out.String()); !strings.HasPrefix(key, "sodam_m-x.") || len(key) != len("sodam_m-x.")+64 {
		t.Errorf("key %q, want sodam_m-x. and 64 hex digits", key)
	}
	out.Reset()
	if err := run(ctx, []string{"settle", "--date", "2026-11-24", "--merchant", "m-x", "--csv", "--database-url", dbURL}, getenv, nil, &out, &errb); err != nil {
		t.Fatalf("settle: %v\n%s", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"channel_id,date,commission_bp,gross,refunds,net,commission,payout,kind,payment_id,order_id,booking_id,amount,line_commission,at",
		// gross 34,200, refunds 15,000, commission 1,920 + 1,500 - 1,500.
		"m-x,2026-11-24,1000,34200,15000,19200,1920,17280,sale,",
		"m-x,2026-11-24,1000,34200,15000,19200,1920,17280,sale,",
		"m-x,2026-11-24,1000,34200,15000,19200,1920,17280,refund,",
	}
	if len(lines) != len(want) {
		t.Fatalf("settle wrote %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want it to start with %q", i, lines[i], want[i])
		}
	}
	err = run(ctx, []string{"settle", "--date", "24/11/2026", "--database-url", dbURL}, getenv, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("a bad date: %v", err)
	}
	err = run(ctx, []string{"merchant", "key", "--merchant", "nobody", "--database-url", dbURL}, getenv, nil, &out, &errb)
	if !sodam.IsCode(err, sodam.ENOTFOUND) {
		t.Errorf("a key for an unknown channel: %v, want not found", err)
	}
}

// BenchmarkStatusToCustomer measures a status change from the store's
// API call to the event read by the customer's websocket client, on one
// server. It reports the p50 and p99 in milliseconds (the target is a
// p99 of 100 ms or less).
func BenchmarkStatusToCustomer(b *testing.B) {
	a, ts, svc := startMerchant(b)
	ctx := context.Background()
	c := dialChat(b, ts, "")
	c.say("교촌 허니콤보 두 마리 시켜줘")
	c.say("주문할게요")
	c.say("네")
	first := paidOrders(b, a.Store, c.user)[0]
	key, _, err := svc.IssueKey(ctx, first.MerchantID)
	if err != nil {
		b.Fatal(err)
	}
	steps := []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered}
	order := first
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		step := steps[i%len(steps)]
		if i > 0 && step == sodam.OrderAccepted {
			b.StopTimer()
			order = benchOrder(b, a, c.user, first.Items[0].MenuItemID)
			b.StartTimer()
		}
		path, body := "/v1/merchant/orders/"+order.ID+"/status", any(map[string]string{"status": string(step)})
		if step == sodam.OrderAccepted {
			path, body = "/v1/merchant/orders/"+order.ID+"/accept", nil
		}
		start := time.Now()
		if st := merchantCall(b, ts, key, "POST", path, body, nil); st != 200 {
			b.Fatalf("step %s: %d", step, st)
		}
		c.waitEvent(ws.EventOrderStatus, string(step))
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
}

// benchOrder has the user order two of an item and pay, through the tools.
func benchOrder(b *testing.B, a *app, userID, itemID string) *sodam.Order {
	ctx := context.Background()
	if _, err := a.Tools.CartAdd(ctx, userID, tools.CartAddInput{MenuItemID: itemID, Quantity: 2}); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Tools.PlaceOrder(ctx, userID, tools.PlaceOrderInput{}); err != nil {
		b.Fatal(err)
	}
	out, err := a.Tools.Pay(ctx, userID, tools.PayInput{})
	if err != nil {
		b.Fatal(err)
	}
	o, err := a.Store.Order(ctx, out.Payment.OrderID)
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkBroadcast5000 posts a broadcast to 5,000 subscribers connected
// over websockets and measures until every one of them has read it (the
// target is 2 s or less). It reports the time of the last delivery.
func BenchmarkBroadcast5000(b *testing.B) {
	const subscribers = 5000
	a, ts, svc := startMerchant(b)
	ctx := context.Background()
	wsURL := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	type client struct {
		conn *websocket.Conn
		user string
	}
	clients := make([]client, subscribers)
	for i := range clients {
		conn, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
		if err != nil {
			b.Fatalf("dial %d: %v", i, err)
		}
		b.Cleanup(func() { conn.Close() })
		if err := conn.WriteJSON(ws.Hello{Type: ws.TypeHello}); err != nil {
			b.Fatal(err)
		}
		var w ws.Welcome
		if err := conn.ReadJSON(&w); err != nil {
			b.Fatal(err)
		}
		if err := a.Store.UpsertUser(ctx, &sodam.User{ID: w.UserID, Subscriptions: []string{"m-001"}}); err != nil {
			b.Fatal(err)
		}
		clients[i] = client{conn, w.UserID}
	}
	// A service of its own without the broadcast limit, so that every
	// round may post.
	recs, err := merchantRecords(a.Store)
	if err != nil {
		b.Fatal(err)
	}
	svc = merchant.New(merchant.Config{Store: a.Store, Records: recs, Orders: a.Tools, Notifier: chatNotifier{a.Chat},
		Clock: a.Clock, BroadcastBurst: 1 << 30})
	_, acct, err := svc.IssueKey(ctx, "m-001")
	if err != nil {
		b.Fatal(err)
	}
	var worst time.Duration
	b.ResetTimer()
	for i := range b.N {
		text := fmt.Sprintf("오늘의 소식 %d", i)
		done := make(chan time.Duration, subscribers)
		start := time.Now()
		for _, cl := range clients {
			go func() {
				for {
					var f struct {
						Type, Event, Text string
					}
					cl.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
					if err := cl.conn.ReadJSON(&f); err != nil {
						done <- -1
						return
					}
					if f.Event == string(sodam.NoticeBroadcast) && strings.HasSuffix(f.Text, text) {
						done <- time.Since(start)
						return
					}
				}
			}()
		}
		bc, err := svc.Broadcast(ctx, acct, text)
		if err != nil {
			b.Fatalf("broadcast: %v", err)
		}
		if bc.Audience != subscribers {
			b.Fatalf("audience %d, want %d", bc.Audience, subscribers)
		}
		for range subscribers {
			d := <-done
			if d < 0 {
				b.Fatal("a subscriber did not get the broadcast")
			}
			worst = max(worst, d)
		}
	}
	b.ReportMetric(float64(worst)/float64(time.Millisecond), "last-delivery-ms")
}

// TestMerchantConsoleInBrowser places an order in the web chat, sees it
// appear in the merchant console in another headless Chromium, accepts
// it there, and sees the new status in the chat page. Screenshots of
// both pages are saved as artifacts.
func TestMerchantConsoleInBrowser(t *testing.T) {
	a, ts, svc := startMerchant(t)
	chat := openBrowser(t, ts.URL, "merchant-chat")
	chat.waitFor(chat.ctx, "the connection", `document.getElementById('status').dataset.state === 'open'`)
	chat.send("교촌 허니콤보 두 마리 시켜줘")
	chat.waitText("장바구니에 담았어요")
	chat.chip("주문하기")
	chat.waitText("결제할까요?")
	chat.chip("네")
	chat.waitText("결제가 완료됐어요")
	paid := paidOrders(t, a.Store, chat.userID())
	if len(paid) != 1 {
		t.Fatalf("paid orders %v, want one", paid)
	}
	o := paid[0]
	key, _, err := svc.IssueKey(context.Background(), o.MerchantID)
	if err != nil {
		t.Fatal(err)
	}

	console := openBrowser(t, ts.URL+"/merchant/", "merchant-console")
	console.do("log in", chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.CSS("#login-form button")))
	card := fmt.Sprintf(`document.querySelector('li[data-order=%q]')`, o.ID)
	console.waitFor(console.ctx, "the order in the inbox", card+` !== null`)
	console.shot(console.ctx, "inbox")
	console.do("accept", chromedp.Click(chromedp.CSS(fmt.Sprintf(`li[data-order=%q] button.step-accepted`, o.ID))))
	console.waitFor(console.ctx, "the order accepted", card+`?.querySelector('.status.accepted') != null`)
	console.shot(console.ctx, "accepted")

	chat.waitText("주문을 접수했어요")
	chat.shot(chat.ctx, "accepted-in-chat")
	if got, _ := a.Store.Order(context.Background(), o.ID); got.Status != sodam.OrderAccepted {
		t.Errorf("order %s, want accepted", got.Status)
	}
}
