package sandboxpay

import (
	"html/template"
	"net/http"
	"net/url"
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
// for approval shows its state (and POST answers 409).
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

// lookupPage returns what the page shows of tid, its approval URL with
// the token added, and whether tid exists.
func (p *Provider) lookupPage(tid string) (data pageData, approveURL string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pay, ok := p.payments[tid]
	if !ok {
		return pageData{}, "", false
	}
	data = pageData{TID: tid, Item: pay.req.ItemName, Amount: won(pay.req.TotalAmount), CancelURL: pay.req.CancelURL}
	switch pay.status {
	case StatusReady:
	case StatusSuccess:
		data.Notice = "이미 결제가 끝났어요. 대화로 돌아가 주세요."
	case StatusCancel, StatusPartCancel:
		data.Notice = "취소된 결제예요."
	default:
		data.Notice = "결제가 거절됐어요. 대화로 돌아가 다시 시도해 주세요."
	}
	if pay.req.ApprovalURL != "" {
		if u, err := url.Parse(pay.req.ApprovalURL); err == nil {
			q := u.Query()
			q.Set("pg_token", pay.token)
			u.RawQuery = q.Encode()
			approveURL = u.String()
		}
	}
	return data, approveURL, true
}

func (p *Provider) showPage(w http.ResponseWriter, r *http.Request) {
	data, _, ok := p.lookupPage(r.PathValue("tid"))
	if !ok {
		render(w, http.StatusNotFound, pageData{Notice: "결제 정보를 찾을 수 없어요."})
		return
	}
	render(w, http.StatusOK, data)
}

func (p *Provider) confirm(w http.ResponseWriter, r *http.Request) {
	data, approveURL, ok := p.lookupPage(r.PathValue("tid"))
	switch {
	case !ok:
		render(w, http.StatusNotFound, pageData{Notice: "결제 정보를 찾을 수 없어요."})
	case data.Notice != "":
		render(w, http.StatusConflict, data)
	case approveURL == "":
		data.Notice = "결제를 확인했어요. 대화로 돌아가 주세요."
		render(w, http.StatusOK, data)
	default:
		http.Redirect(w, r, approveURL, http.StatusSeeOther)
	}
}

func render(w http.ResponseWriter, status int, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	page.Execute(w, data)
}
