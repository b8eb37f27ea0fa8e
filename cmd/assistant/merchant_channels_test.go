package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/merchant"
)

// channelEvent is an event frame with the fields these tests look at.
type channelEvent struct {
	Type        string `json:"type"`
	Event       string `json:"event"`
	OrderID     string `json:"order_id"`
	Status      string `json:"status"`
	ChannelID   string `json:"channel_id"`
	ChannelName string `json:"channel_name"`
	Text        string `json:"text"`
}

// nextEvent reads frames until an event named name arrives and returns
// it; other frames are skipped.
func (c *chatClient) nextEvent(name string) channelEvent {
	c.t.Helper()
	for {
		var f channelEvent
		c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if err := c.conn.ReadJSON(&f); err != nil {
			c.t.Fatalf("waiting for a %s event: %v", name, err)
		}
		if f.Type == ws.TypeEvent && f.Event == name {
			return f
		}
	}
}

// leave closes the client's connection and waits until the server has
// let go of every connection, so that what happens next finds the user
// offline.
func leave(t *testing.T, a *app, c *chatClient) {
	t.Helper()
	c.conn.Close()
	for deadline := time.Now().Add(10 * time.Second); a.Chat.Connections() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("the server still holds %d connections", a.Chat.Connections())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestMerchantNoticesWaitForConnect: a customer who is offline while the
// store accepts the order and starts cooking gets both steps, in order,
// right after connecting again, and not again on the next connection.
func TestMerchantNoticesWaitForConnect(t *testing.T) {
	a, ts, svc := startMerchant(t)
	ctx := context.Background()
	c := dialChat(t, ts, "")
	c.say("교촌 허니콤보 두 마리 시켜줘")
	c.say("주문할게요")
	if r := c.say("네"); !strings.Contains(r.Text, "결제가 완료") {
		t.Fatalf("paying got %q", r.Text)
	}
	o := paidOrders(t, a.Store, c.user)[0]
	key, _, err := svc.IssueKey(ctx, o.MerchantID)
	if err != nil {
		t.Fatal(err)
	}
	leave(t, a, c)

	var v merchant.OrderView
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+"/accept", nil, &v); st != 200 {
		t.Fatalf("accept: %d", st)
	}
	if st := merchantCall(t, ts, key, "POST", "/v1/merchant/orders/"+o.ID+"/status", map[string]string{"status": "cooking"}, &v); st != 200 || v.Status != sodam.OrderCooking {
		t.Fatalf("cooking: %d %+v", st, v.Order)
	}

	back := dialChat(t, ts, c.tok)
	for _, want := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking} {
		// An event skipped here fails the next wait: the order is checked.
		if ev := back.nextEvent(ws.EventOrderStatus); ev.Status != string(want) || ev.OrderID != o.ID || ev.ChannelID != o.MerchantID {
			t.Fatalf("after reconnecting got %+v, want the %s step of %s", ev, want, o.ID)
		}
	}
	leave(t, a, back)

	again := dialChat(t, ts, c.tok)
	// Nothing is left to deliver, and nothing came before the reply.
	again.write(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: "after", Text: "주문 상태 알려줘"})
	for {
		f := again.next()
		if f.Type == ws.TypeEvent {
			t.Fatalf("the next connection got %+v again", f)
		}
		if f.Type == ws.TypeAssistantMessage {
			if !strings.Contains(f.Response.Text, "조리하고 있어요") {
				t.Errorf("order status said %q", f.Response.Text)
			}
			break
		}
	}
	if n := svc.Connected(ctx, c.user); n != 0 {
		t.Errorf("%d notices were still waiting", n)
	}
}

// TestMerchantInquiryFromChat: a question the catalog does not answer
// goes to the store's inquiry inbox with the conversation, the store
// answers through the API, and the customer gets the answer.
func TestMerchantInquiryFromChat(t *testing.T) {
	a, ts, svc := startMerchant(t)
	ctx := context.Background()
	c := dialChat(t, ts, "")
	c.say("교촌 메뉴 보여줘")
	if r := c.say("주차 돼요?"); !strings.Contains(r.Text, "문의를 전달했어요. 답변이 오면 알려 드릴게요.") {
		t.Fatalf("the question got %q", r.Text)
	}
	st, err := a.Assistant.Snapshot(ctx, c.user)
	if err != nil || st.MerchantID == "" {
		t.Fatalf("no store in the conversation: %v %+v", err, st)
	}
	key, _, err := svc.IssueKey(ctx, st.MerchantID)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := svc.IssueKey(ctx, "m-001")
	if err != nil {
		t.Fatal(err)
	}

	var qs []*sodam.Inquiry
	if code := merchantCall(t, ts, key, "GET", "/v1/merchant/inquiries", nil, &qs); code != 200 || len(qs) != 1 {
		t.Fatalf("inquiries: %d %+v, want one", code, qs)
	}
	q := qs[0]
	if q.Question != "주차 돼요?" || q.UserID != c.user || !slices.ContainsFunc(q.Context, func(s string) bool { return strings.Contains(s, "교촌 메뉴 보여줘") }) {
		t.Errorf("inquiry %+v, want the question with the conversation before it", q)
	}
	var none []*sodam.Inquiry
	if merchantCall(t, ts, other, "GET", "/v1/merchant/inquiries", nil, &none); len(none) != 0 {
		t.Errorf("another store sees %+v", none)
	}

	var answered sodam.Inquiry
	if code := merchantCall(t, ts, key, "POST", "/v1/merchant/inquiries/"+q.ID+"/answer",
		map[string]string{"answer": "건물 뒤편에 2대 주차할 수 있어요."}, &answered); code != 200 || answered.Status != sodam.InquiryAnswered {
		t.Fatalf("answer: %d %+v", code, answered)
	}
	ev := c.nextEvent(ws.EventInquiryAnswer)
	if !strings.Contains(ev.Text, "건물 뒤편에 2대") || !strings.Contains(ev.Text, "주차 돼요?") || ev.ChannelID != st.MerchantID || ev.ChannelName == "" {
		t.Errorf("the customer got %+v", ev)
	}
}

// TestMerchantBroadcastReachesChat: a broadcast reaches a connected
// subscriber as an event naming its channel, and the chat lists it as
// channel news.
func TestMerchantBroadcastReachesChat(t *testing.T) {
	a, ts, svc := startMerchant(t)
	ctx := context.Background()
	c := dialChat(t, ts, "")
	u, err := a.Store.User(ctx, c.user)
	if err != nil {
		t.Fatal(err)
	}
	u.Subscriptions = []string{"m-001"}
	if err := a.Store.UpsertUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	m, err := a.Store.Merchant(ctx, "m-001")
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := svc.IssueKey(ctx, "m-001")
	if err != nil {
		t.Fatal(err)
	}
	var b sodam.Broadcast
	if code := merchantCall(t, ts, key, "POST", "/v1/merchant/broadcasts", map[string]string{"text": "오늘 저녁 전 메뉴 10% 할인해요"}, &b); code != 200 {
		t.Fatalf("broadcast: %d", code)
	}
	ev := c.nextEvent(ws.EventChannelBroadcast)
	if ev.ChannelID != "m-001" || ev.ChannelName != m.Name || !strings.Contains(ev.Text, "10% 할인") {
		t.Errorf("the subscriber got %+v, want the broadcast of m-001 named %q", ev, m.Name)
	}
	r := c.say("채널 소식 보여줘")
	if r.List == nil || len(r.List.Items) != 1 || !strings.Contains(r.List.Items[0].Description, "10% 할인") ||
		!strings.Contains(r.List.Items[0].Title, m.Name) {
		t.Errorf("채널 소식 got %q %+v, want the broadcast listed", r.Text, r.List)
	}
}
