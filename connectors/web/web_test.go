package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sodam-ai/sodam"
)

func TestHandler(t *testing.T) {
	h := Handler()
	tests := []struct {
		path, want, ctype string
		status            int
	}{
		{"/", `<html lang="ko">`, "text/html", http.StatusOK},
		{"/static/app.js", "textContent", "javascript", http.StatusOK},
		{"/static/style.css", ".bubble", "text/css", http.StatusOK},
		{"/static/missing.js", "", "", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if !strings.Contains(rec.Body.String(), tc.want) || !strings.Contains(rec.Header().Get("Content-Type"), tc.ctype) {
				t.Errorf("body or type (%s) lacks %q", rec.Header().Get("Content-Type"), tc.want)
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("CSP %q", csp)
			}
		})
	}
}

func TestAppNeverParsesHTML(t *testing.T) {
	b, err := static.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(string(b), bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

func TestPaymentReturn(t *testing.T) {
	var approved []string
	h := &PaymentReturn{
		Complete: func(ctx context.Context, id, token string) (*sodam.Payment, error) {
			if token != "good" {
				return nil, sodam.Errorf(sodam.EUNAUTHORIZED, "결제 승인 정보가 올바르지 않아요.")
			}
			return &sodam.Payment{ID: id, UserID: "u-1", Amount: 49000, Status: sodam.PaymentApproved}, nil
		},
		Approved: func(p *sodam.Payment) { approved = append(approved, p.ID) },
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+ReturnPath+"{paymentID}", h)
	tests := []struct {
		name   string
		url    string
		status int
		want   string
	}{
		{"approved", "/pay/return/p-1?pg_token=good", http.StatusOK, "49,000원 결제했어요"},
		{"wrong token", "/pay/return/p-2?pg_token=bad", http.StatusUnauthorized, "결제 승인 정보가 올바르지 않아요."},
		{"no token", "/pay/return/p-3", http.StatusBadRequest, "결제 정보가 올바르지 않아요"},
		{"cancelled", "/pay/return/p-4?result=cancel", http.StatusOK, "결제를 취소했어요"},
		{"failed", "/pay/return/p-5?result=fail", http.StatusOK, "결제하지 못했어요"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.status || !strings.Contains(string(body), tc.want) {
				t.Errorf("got %d %q, want %d with %q", rec.Code, body, tc.status, tc.want)
			}
		})
	}
	if strings.Join(approved, ",") != "p-1" {
		t.Errorf("approved %v, want [p-1]", approved)
	}
}

func TestCallbackURLs(t *testing.T) {
	ok, cancel, fail := CallbackURLs("http://localhost:8080/")("p 1")
	if ok != "http://localhost:8080/pay/return/p%201" || cancel != ok+"?result=cancel" || fail != ok+"?result=fail" {
		t.Errorf("got %q %q %q", ok, cancel, fail)
	}
}
