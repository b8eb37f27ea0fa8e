package sandboxpay

import (
	"context"
	"html/template"
	"net/http"
	"net/url"

	"github.com/sodam-ai/sodam"
)

// Handler serves the sandbox's approval page, the stand-in for KakaoPay's
// hosted page, at /pay/sandbox/{tid}; mount it at the root of BaseURL.
//
// GET shows the item and the amount with a 결제하기 button. Pressing it
// POSTs to the same address, which redirects (303 See Other) to the
// payment's ApprovalURL with pg_token added to its query, as KakaoPay
// does; the service's handler for that address then calls Approve. A
// payment without an ApprovalURL gets a page that tells the user to go
// back to the chat. An unknown TID is 404; a payment no longer waiting
// for approval shows its state (and POST answers 409); a ledger that
// cannot be read is 503.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/sandbox/{tid}", p.showPage)
	mux.HandleFunc("POST /pay/sandbox/{tid}", p.confirm)
	return mux
}

// pageData is what the page shows of one payment.
type pageData struct {
	TID       string
	Item      string
	Amount    string
	Notice    string // set when the payment is not waiting for approval
	CancelURL string
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>소담 결제</title></head>
<body>
<h1>소담 결제</h1>
{{if .Item}}<p>{{.Item}}</p>{{end}}
{{if .Amount}}<p><strong>{{.Amount}}</strong></p>{{end}}
{{if .Notice}}<p>{{.Notice}}</p>{{else}}
<form method="post" action="/pay/sandbox/{{.TID}}"><button type="submit">결제하기</button></form>
{{if .CancelURL}}<p><a href="{{.CancelURL}}">취소</a></p>{{end}}
{{end}}
</body>
</html>
`))

// lookupPage returns what the page shows of tid and its approval URL
// with the token added. An unknown tid is ENOTFOUND.
func (p *Provider) lookupPage(ctx context.Context, tid string) (data pageData, approveURL string, err error) {
	pay, err := p.get(ctx, "sandboxpay.Handler", tid)
	if err != nil {
		return pageData{}, "", err
	}
	data = pageData{TID: tid, Item: pay.Request.ItemName, Amount: won(pay.Request.TotalAmount), CancelURL: pay.Request.CancelURL}
	switch pay.Status {
	case StatusReady:
	case StatusSuccess:
		data.Notice = "이미 결제가 끝났어요. 대화로 돌아가 주세요."
	case StatusCancel, StatusPartCancel:
		data.Notice = "취소된 결제예요."
	default:
		data.Notice = "결제가 거절됐어요. 대화로 돌아가 다시 시도해 주세요."
	}
	if pay.Request.ApprovalURL != "" {
		if u, err := url.Parse(pay.Request.ApprovalURL); err == nil {
			q := u.Query()
			q.Set("pg_token", pay.Token)
			u.RawQuery = q.Encode()
			approveURL = u.String()
		}
	}
	return data, approveURL, nil
}

func (p *Provider) showPage(w http.ResponseWriter, r *http.Request) {
	data, _, err := p.lookupPage(r.Context(), r.PathValue("tid"))
	if err != nil {
		renderError(w, err)
		return
	}
	render(w, http.StatusOK, data)
}

func (p *Provider) confirm(w http.ResponseWriter, r *http.Request) {
	data, approveURL, err := p.lookupPage(r.Context(), r.PathValue("tid"))
	switch {
	case err != nil:
		renderError(w, err)
	case data.Notice != "":
		render(w, http.StatusConflict, data)
	case approveURL == "":
		data.Notice = "결제를 확인했어요. 대화로 돌아가 주세요."
		render(w, http.StatusOK, data)
	default:
		http.Redirect(w, r, approveURL, http.StatusSeeOther)
	}
}

// renderError shows why a payment's page could not be read: 404 for an
// unknown TID, 503 for a ledger that did not answer.
func renderError(w http.ResponseWriter, err error) {
	if sodam.ErrorCode(err) == sodam.ENOTFOUND {
		render(w, http.StatusNotFound, pageData{Notice: "결제 정보를 찾을 수 없어요."})
		return
	}
	render(w, http.StatusServiceUnavailable, pageData{Notice: "결제 정보를 불러오지 못했어요. 잠시 뒤에 다시 시도해 주세요."})
}

func render(w http.ResponseWriter, status int, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	page.Execute(w, data)
}
