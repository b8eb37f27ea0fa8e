package kakaopay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/kakaopay"
)

const testKey = "DEV1234567890ABCDEF"

// fakeKakaoPay is a local KakaoPay: it checks each call's method, headers
// and body fields, keeps payments by tid, and can be told to fail.
type fakeKakaoPay struct {
	t *testing.T

	mu       sync.Mutex
	payments map[string]*fakePayment
	calls    []string
	// fail, when set for a path, answers that status and body instead.
	fail map[string]struct {
		status int
		body   string
	}
	// block, when set for a path, holds the call until the client gives up.
	block map[string]bool
}

type fakePayment struct {
	orderID, userID string
	total, canceled int64
	status          string
}

func newFake(t *testing.T) (*fakeKakaoPay, *httptest.Server) {
	f := &fakeKakaoPay{t: t, payments: map[string]*fakePayment{}, fail: map[string]struct {
		status int
		body   string
	}{}, block: map[string]bool{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeKakaoPay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r.URL.Path)
	fail, failing := f.fail[r.URL.Path]
	block := f.block[r.URL.Path]
	f.mu.Unlock()
	if r.Method != http.MethodPost {
		f.t.Errorf("%s %s, want POST", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "SECRET_KEY "+testKey {
		f.t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		f.t.Errorf("Content-Type = %q", got)
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.t.Errorf("%s: body is not JSON: %v", r.URL.Path, err)
	}
	if block {
		<-r.Context().Done()
		return
	}
	if failing {
		w.WriteHeader(fail.status)
		fmt.Fprint(w, fail.body)
		return
	}
	need := func(fields ...string) bool {
		for _, k := range fields {
			if _, ok := body[k]; !ok {
				f.t.Errorf("%s: no field %q in %v", r.URL.Path, k, body)
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"error_code":-2,"error_message":"%s missing"}`, k)
				return false
			}
		}
		if body["cid"] != "TC0ONETIME" {
			f.t.Errorf("%s: cid = %v", r.URL.Path, body["cid"])
		}
		return true
	}
	num := func(k string) int64 { v, _ := body[k].(float64); return int64(v) }
	str := func(k string) string { s, _ := body[k].(string); return s }
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/online/v1/payment/ready":
		if !need("cid", "partner_order_id", "partner_user_id", "item_name", "quantity", "total_amount", "tax_free_amount", "approval_url", "cancel_url", "fail_url") {
			return
		}
		tid := fmt.Sprintf("T%019d", len(f.payments)+1)
		f.payments[tid] = &fakePayment{orderID: str("partner_order_id"), userID: str("partner_user_id"), total: num("total_amount"), status: "READY"}
		fmt.Fprintf(w, `{"tid":%q,"next_redirect_app_url":"https://online-pay.kakao.com/mockup/v1/%s/aInfo","next_redirect_mobile_url":"https://online-pay.kakao.com/mockup/v1/%s/mInfo","next_redirect_pc_url":"https://online-pay.kakao.com/mockup/v1/%s/info","android_app_scheme":"kakaotalk://","ios_app_scheme":"kakaotalk://","created_at":"2026-11-24T18:00:00"}`, tid, tid, tid, tid)
	case "/online/v1/payment/approve":
		if !need("cid", "tid", "partner_order_id", "partner_user_id", "pg_token") {
			return
		}
		p := f.payments[str("tid")]
		switch {
		case p == nil:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error_code":-702,"error_message":"invalid tid"}`)
		case p.status != "READY":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error_code":-702,"error_message":"payment is already done. status: SUCCESS_PAYMENT"}`)
		case p.orderID != str("partner_order_id") || p.userID != str("partner_user_id"):
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error_code":-780,"error_message":"partner_order_id or partner_user_id mismatch"}`)
		default:
			p.status = "SUCCESS_PAYMENT"
			fmt.Fprintf(w, `{"aid":"A%019d","tid":%q,"cid":"TC0ONETIME","partner_order_id":%q,"partner_user_id":%q,"payment_method_type":"MONEY","amount":{"total":%d,"tax_free":0,"vat":%d,"point":0,"discount":0,"green_deposit":0},"item_name":"후라이드치킨 외 1건","quantity":1,"created_at":"2026-11-24T18:00:00","approved_at":"2026-11-24T18:01:02"}`,
				1, str("tid"), p.orderID, p.userID, p.total, p.total/11)
		}
	case "/online/v1/payment/cancel":
		if !need("cid", "tid", "cancel_amount", "cancel_tax_free_amount") {
			return
		}
		p := f.payments[str("tid")]
		if p == nil || p.status != "SUCCESS_PAYMENT" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error_code":-721,"error_message":"cancel not available in this status"}`)
			return
		}
		p.canceled += num("cancel_amount")
		p.status = "CANCEL_PAYMENT"
		if p.canceled < p.total {
			p.status = "PART_CANCEL_PAYMENT"
		}
		fmt.Fprintf(w, `{"aid":"A2","tid":%q,"cid":"TC0ONETIME","status":%q,"partner_order_id":%q,"partner_user_id":%q,"payment_method_type":"MONEY","amount":{"total":%d},"approved_cancel_amount":{"total":%d},"canceled_amount":{"total":%d},"cancel_available_amount":{"total":%d},"created_at":"2026-11-24T18:00:00","approved_at":"2026-11-24T18:01:02","canceled_at":"2026-11-24T18:30:00"}`,
			str("tid"), p.status, p.orderID, p.userID, p.total, num("cancel_amount"), p.canceled, p.total-p.canceled)
	case "/online/v1/payment/order":
		if !need("cid", "tid") {
			return
		}
		p := f.payments[str("tid")]
		if p == nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error_code":-702,"error_message":"invalid tid"}`)
			return
		}
		fmt.Fprintf(w, `{"tid":%q,"cid":"TC0ONETIME","status":%q,"partner_order_id":%q,"partner_user_id":%q,"payment_method_type":"MONEY","item_name":"후라이드치킨","quantity":1,"amount":{"total":%d},"canceled_amount":{"total":%d},"cancel_available_amount":{"total":%d},"created_at":"2026-11-24T18:00:00"}`,
			str("tid"), p.status, p.orderID, p.userID, p.total, p.canceled, p.total-p.canceled)
	default:
		http.NotFound(w, r)
	}
}

func newClient(t *testing.T, url string, timeout time.Duration) *kakaopay.Client {
	t.Helper()
	c, err := kakaopay.New(kakaopay.Config{SecretKey: testKey, BaseURL: url + "/", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var bg = context.Background()

func TestReadyApproveLookupCancel(t *testing.T) {
	f, srv := newFake(t)
	c := newClient(t, srv.URL, time.Second)
	if c.Name() != "kakaopay" {
		t.Errorf("Name = %q", c.Name())
	}
	ticket, err := c.Ready(bg, sodam.PaymentReadyRequest{PartnerOrderID: "order:o-1", PartnerUserID: "kakao:u-1", ItemName: "후라이드치킨",
		Quantity: 1, TotalAmount: 19200, ApprovalURL: "https://sodam.example/pay/return/p-1", CancelURL: "https://sodam.example/pay/cancel/p-1", FailURL: "https://sodam.example/pay/fail/p-1"})
	if err != nil {
		t.Fatal(err)
	}
	wantTicket := &sodam.PaymentTicket{TID: "T0000000000000000001",
		RedirectURL: "https://online-pay.kakao.com/mockup/v1/T0000000000000000001/info",
		MobileURL:   "https://online-pay.kakao.com/mockup/v1/T0000000000000000001/mInfo",
		CreatedAt:   time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)}
	if diff := cmp.Diff(wantTicket, ticket); diff != "" {
		t.Errorf("ticket (-want +got):\n%s", diff)
	}

	got, err := c.Lookup(bg, ticket.TID)
	if err != nil || got.Status != "READY" {
		t.Fatalf("Lookup before approval = %+v, %v", got, err)
	}

	appr, err := c.Approve(bg, sodam.PaymentApproveRequest{TID: ticket.TID, PartnerOrderID: "order:o-1", PartnerUserID: "kakao:u-1", PGToken: "pgtok", TotalAmount: 19200})
	if err != nil {
		t.Fatal(err)
	}
	if appr.TID != ticket.TID || appr.Amount != 19200 || appr.MethodType != "MONEY" || appr.AID == "" || !appr.ApprovedAt.Equal(time.Date(2026, 11, 24, 18, 1, 2, 0, sodam.Seoul)) {
		t.Errorf("approval %+v", appr)
	}
	// Approving twice is refused as a conflict, and charges nothing more.
	_, err = c.Approve(bg, sodam.PaymentApproveRequest{TID: ticket.TID, PartnerOrderID: "order:o-1", PartnerUserID: "kakao:u-1", PGToken: "pgtok"})
	if code := sodam.ErrorCode(err); code != sodam.ECONFLICT {
		t.Errorf("second approve: %v (code %q), want conflict", err, code)
	}

	got, err = c.Lookup(bg, ticket.TID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&sodam.ProviderPayment{TID: ticket.TID, PartnerOrderID: "order:o-1", Status: "SUCCESS_PAYMENT", Amount: 19200}, got); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}

	canc, err := c.Cancel(bg, sodam.PaymentCancelRequest{TID: ticket.TID, CancelAmount: 19200})
	if err != nil {
		t.Fatal(err)
	}
	if canc.Status != "CANCEL_PAYMENT" || canc.CancelledAmount != 19200 || canc.TID != ticket.TID || canc.CancelledAt.IsZero() {
		t.Errorf("cancellation %+v", canc)
	}
	got, err = c.Lookup(bg, ticket.TID)
	if err != nil || got.Status != "CANCEL_PAYMENT" || got.CancelledAmount != 19200 {
		t.Errorf("lookup after cancel = %+v, %v", got, err)
	}
	want := []string{"/online/v1/payment/ready", "/online/v1/payment/order", "/online/v1/payment/approve", "/online/v1/payment/approve",
		"/online/v1/payment/order", "/online/v1/payment/cancel", "/online/v1/payment/order"}
	if diff := cmp.Diff(want, f.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestErrorStatuses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"bad request", 400, `{"error_code":-2,"error_message":"total_amount must be positive"}`, sodam.EINVALID},
		{"state conflict", 400, `{"error_code":-702,"error_message":"payment is already done"}`, sodam.ECONFLICT},
		{"conflict status", 409, `{}`, sodam.ECONFLICT},
		{"old API error body", 400, `{"code":-780,"msg":"approval failure"}`, sodam.EINVALID},
		{"wrong key", 401, `{"error_code":-401,"error_message":"invalid secret key"}`, sodam.EINTERNAL},
		{"server error", 500, `{"error_code":-9798,"error_message":"internal error"}`, sodam.EUNAVAILABLE},
		{"bad gateway, not JSON", 502, `<html>bad gateway</html>`, sodam.EUNAVAILABLE},
		{"throttled", 429, ``, sodam.EUNAVAILABLE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFake(t)
			f.fail["/online/v1/payment/approve"] = struct {
				status int
				body   string
			}{tc.status, tc.body}
			c := newClient(t, srv.URL, time.Second)
			_, err := c.Approve(bg, sodam.PaymentApproveRequest{TID: "T1", PartnerOrderID: "o", PartnerUserID: "u", PGToken: "x"})
			if code := sodam.ErrorCode(err); code != tc.want {
				t.Errorf("code %q (%v), want %q", code, err, tc.want)
			}
			if tc.want != sodam.EINTERNAL && sodam.ErrorMessage(err) == "" {
				t.Error("no message for the user")
			}
			if len(f.calls) != 1 {
				t.Errorf("%d calls, want 1 (no retry)", len(f.calls))
			}
		})
	}
}

func TestTimeoutIsUnavailableAndNotRetried(t *testing.T) {
	f, srv := newFake(t)
	f.block["/online/v1/payment/approve"] = true
	c := newClient(t, srv.URL, 50*time.Millisecond)
	_, err := c.Approve(bg, sodam.PaymentApproveRequest{TID: "T1", PartnerOrderID: "o", PartnerUserID: "u", PGToken: "x"})
	if !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("Approve = %v, want unavailable", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) != 1 {
		t.Errorf("%d calls, want 1", len(f.calls))
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newClient(t, url, time.Second)
	if _, err := c.Lookup(bg, "T1"); !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("Lookup = %v, want unavailable", err)
	}
}

func TestUnreadableAnswerIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"tid":`) }))
	defer srv.Close()
	c := newClient(t, srv.URL, time.Second)
	if _, err := c.Approve(bg, sodam.PaymentApproveRequest{TID: "T1"}); !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("Approve = %v, want unavailable", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		wantOK bool
		want   kakaopay.Config
	}{
		{"unset keeps the sandbox", map[string]string{}, false, kakaopay.Config{}},
		{"key only", map[string]string{"SODAM_KAKAOPAY_SECRET_KEY": " DEVKEY "}, true, kakaopay.Config{SecretKey: "DEVKEY"}},
		{"all", map[string]string{"SODAM_KAKAOPAY_SECRET_KEY": "K", "SODAM_KAKAOPAY_CID": "CID1", "SODAM_KAKAOPAY_BASE_URL": "http://127.0.0.1:9"}, true,
			kakaopay.Config{SecretKey: "K", CID: "CID1", BaseURL: "http://127.0.0.1:9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ok := kakaopay.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if ok != tc.wantOK {
				t.Errorf("ok = %v", ok)
			}
			if diff := cmp.Diff(tc.want, cfg, cmp.Comparer(func(a, b *http.Client) bool { return a == b })); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := kakaopay.New(kakaopay.Config{}); err == nil || !strings.Contains(err.Error(), "secret key") {
		t.Errorf("New without a key = %v", err)
	}
}
