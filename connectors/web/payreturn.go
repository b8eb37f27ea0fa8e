package web

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// ReturnPath is where a payment provider sends the user back: the
// payment id follows it.
const ReturnPath = "/pay/return/"

// CallbackURLs returns the provider's return pages for a payment under
// baseURL, in the shape tools.WithCallbackURLs takes: approval at
// /pay/return/{id}, cancel and fail at the same address with
// ?result=cancel and ?result=fail.
func CallbackURLs(baseURL string) func(paymentID string) (approval, cancel, fail string) {
	base := strings.TrimRight(baseURL, "/") + ReturnPath
	return func(id string) (string, string, string) {
		u := base + url.PathEscape(id)
		return u, u + "?result=cancel", u + "?result=fail"
	}
}

// PaymentReturn serves GET /pay/return/{paymentID}: the provider sends the
// user there with ?pg_token= after they approve, and the handler
// completes the payment; with ?result=cancel or ?result=fail it only
// tells the user, leaving the payment to be retried. Either way it shows
// a small page that leads back to the chat.
type PaymentReturn struct {
	// Complete approves the payment with the provider's token and marks
	// its order or booking paid. It is idempotent: a payment already
	// approved returns it again without charging.
	Complete func(ctx context.Context, paymentID, pgToken string) (*sodam.Payment, error)
	// Approved, when set, is called after Complete succeeds, to tell the
	// user's open chats.
	Approved func(p *sodam.Payment)
	Logger   *slog.Logger
}

// returnPage is what the page shows.
type returnPage struct {
	Result  string // approved, cancel, fail, error
	Title   string
	Message string
}

var returnTmpl = template.Must(template.New("return").Parse(`<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · 소담</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/return.js" defer></script></head>
<body class="return">
<div class="return-box" id="result" data-result="{{.Result}}">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
<a id="back" href="/">대화로 돌아가기</a>
</div>
</body>
</html>
`))

func (h *PaymentReturn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secure(http.HandlerFunc(h.serve)).ServeHTTP(w, r)
}

func (h *PaymentReturn) serve(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, ReturnPath)
	if v := r.PathValue("paymentID"); v != "" {
		id = v
	}
	q := r.URL.Query()
	switch q.Get("result") {
	case "cancel":
		render(w, http.StatusOK, returnPage{"cancel", "결제를 취소했어요", "대화로 돌아가면 다시 결제할 수 있어요."})
		return
	case "fail":
		render(w, http.StatusOK, returnPage{"fail", "결제하지 못했어요", "대화로 돌아가 다시 시도해 주세요."})
		return
	}
	token := q.Get("pg_token")
	if id == "" || token == "" || len(id) > 128 || len(token) > 256 {
		render(w, http.StatusBadRequest, returnPage{"error", "결제 정보가 올바르지 않아요", "대화로 돌아가 다시 시도해 주세요."})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	p, err := h.Complete(ctx, id, token)
	if err != nil {
		status, _, _ := httpapi.ErrorMapping(err)
		if sodam.ErrorCode(err) == sodam.EINTERNAL && h.Logger != nil {
			h.Logger.Error("complete payment", "payment", id, "err", err)
		}
		render(w, status, returnPage{"error", "결제를 마치지 못했어요", sodam.ErrorMessage(err)})
		return
	}
	if h.Approved != nil {
		h.Approved(p)
	}
	render(w, http.StatusOK, returnPage{"approved", "결제가 완료됐어요",
		fmt.Sprintf("%s 결제했어요.\n대화로 돌아가면 주문 상태를 확인할 수 있어요.", won(p.Amount))})
}

func render(w http.ResponseWriter, status int, p returnPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	returnTmpl.Execute(w, p)
}

// won formats an amount as 18,000원.
func won(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + won(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "원"
}
