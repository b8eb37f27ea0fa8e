package sandboxpay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	ctx := context.Background()
	p := newProvider()
	p.AutoApprove = false // the token comes only from the page
	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	tk := mustReady(t, p, "order-1", 18000)
	page := srv.URL + "/pay/sandbox/" + tk.TID

	get := func(t *testing.T, u string) (int, string) {
		t.Helper()
		res, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	post := func(t *testing.T, u string) *http.Response {
		t.Helper()
		res, err := client.Post(u, "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}

	status, body := get(t, page)
	for _, want := range []string{"결제하기", "18,000원", "교동치킨 후라이드 외 1건", `action="/pay/sandbox/` + tk.TID + `"`} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET page: status %d, body lacks %q:\n%s", status, want, body)
		}
	}
	if status, _ := get(t, srv.URL+"/pay/sandbox/T0000000000000000000"); status != http.StatusNotFound {
		t.Errorf("GET unknown TID: status %d, want 404", status)
	}

	res := post(t, page)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST page: status %d, want 303", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Host != "sodam.example" || loc.Path != "/pay/approve" || loc.Query().Get("payment") != "p-1" {
		t.Errorf("redirect to %s, want the approval URL with its query kept", loc)
	}
	token := loc.Query().Get("pg_token")
	if token == "" {
		t.Fatalf("redirect %s carries no pg_token", loc)
	}
	req := approveReq(tk, "order-1", 18000)
	req.PGToken = token
	if _, err := p.Approve(ctx, req); err != nil {
		t.Fatalf("Approve with the page's token: %v", err)
	}

	status, body = get(t, page)
	if status != http.StatusOK || !strings.Contains(body, "이미 결제가 끝났어요") || strings.Contains(body, "<form") {
		t.Errorf("GET paid page: status %d, body:\n%s", status, body)
	}
	if res := post(t, page); res.StatusCode != http.StatusConflict {
		t.Errorf("POST paid page: status %d, want 409", res.StatusCode)
	}
	if res := post(t, srv.URL+"/pay/sandbox/T0000000000000000000"); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST unknown TID: status %d, want 404", res.StatusCode)
	}

	noURL := readyReq("order-2", 5000)
	noURL.ApprovalURL = ""
	tk2, err := p.Ready(ctx, noURL)
	if err != nil {
		t.Fatal(err)
	}
	res = post(t, srv.URL+"/pay/sandbox/"+tk2.TID)
	if res.StatusCode != http.StatusOK {
		t.Errorf("POST without approval URL: status %d, want 200", res.StatusCode)
	}
}
