// Package merchantapi serves the merchant side over HTTP: the JSON API
// under /v1/merchant/ and the merchant console, a Korean web page whose
// static files are embedded in the binary.
//
// Every API call carries "Authorization: Bearer <key>", the channel's API
// key (assistant merchant key --merchant ID issues one), and sees and
// changes only that channel's records. Errors answer with the status of
// the application error's code (httpapi.ErrorMapping) and a JSON body
// {"error": {"code": ..., "message": ...}} whose message is Korean.
//
// Routes:
//
//	GET  /v1/merchant/me                        the account and its audience
//	GET  /v1/merchant/orders[?status=a,b|all]   the order inbox, newest first
//	GET  /v1/merchant/orders/{id}               an order with its steps
//	POST /v1/merchant/orders/{id}/accept
//	POST /v1/merchant/orders/{id}/reject        {"reason": "..."}
//	POST /v1/merchant/orders/{id}/status        {"status": "cooking"|"delivering"|"delivered"}
//	GET  /v1/merchant/complaints[?all=1]
//	POST /v1/merchant/complaints/{id}/reply     {"reply": "...", "resolve": true}
//	POST /v1/merchant/complaints/{id}/resolve
//	GET  /v1/merchant/inquiries[?all=1]
//	POST /v1/merchant/inquiries/{id}/answer     {"answer": "..."}
//	GET  /v1/merchant/menu
//	POST /v1/merchant/menu                      a new item (merchant.MenuEdit)
//	PATCH /v1/merchant/menu/{id}                an edit (merchant.MenuEdit)
//	GET  /v1/merchant/events                    sessions with seats left
//	GET  /v1/merchant/events/{id}/bookings
//	GET  /v1/merchant/broadcasts
//	POST /v1/merchant/broadcasts                {"text": "..."}
//	GET  /v1/merchant/settlement?date=YYYY-MM-DD
package merchantapi

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/merchant"
)

//go:embed static
var static embed.FS

// maxBody is the largest request body read.
const maxBody = 64 << 10

// Handler serves the API and the console. Mount it for "/v1/merchant/"
// and "GET /merchant/".
type Handler struct {
	svc *merchant.Service
	log *slog.Logger
	mux *http.ServeMux
}

// New returns the handler over svc; a nil logger discards.
func New(svc *merchant.Service, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, log: logger, mux: http.NewServeMux()}
	h.routes()
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Mount mounts the API and the console on api.
func (h *Handler) Mount(api interface{ Handle(string, http.Handler) }) {
	api.Handle("/v1/merchant/", h)
	api.Handle("GET /merchant/", h)
}

// endpoint is an API call of an authenticated account: it returns the
// value to answer with (status 200) or an error.
type endpoint func(ctx context.Context, acct *sodam.MerchantAccount, r *http.Request) (any, error)

func (h *Handler) routes() {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	h.mux.Handle("GET /merchant/", secure(http.StripPrefix("/merchant/", http.FileServerFS(files))))

	s := h.svc
	h.api("GET /v1/merchant/me", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		n, err := s.Audience(ctx, a)
		if err != nil {
			return nil, err
		}
		return map[string]any{"account": a, "audience": n}, nil
	})
	h.api("GET /v1/merchant/orders", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var f merchant.InboxFilter
		switch q := r.URL.Query().Get("status"); q {
		case "":
		case "all":
			f.Statuses = []sodam.OrderStatus{sodam.OrderPaid, sodam.OrderAccepted, sodam.OrderCooking,
				sodam.OrderDelivering, sodam.OrderDelivered, sodam.OrderCancelled}
		default:
			for _, st := range strings.Split(q, ",") {
				f.Statuses = append(f.Statuses, sodam.OrderStatus(strings.TrimSpace(st)))
			}
		}
		return s.Inbox(ctx, a, f)
	})
	h.api("GET /v1/merchant/orders/{id}", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Order(ctx, a, r.PathValue("id"))
	})
	h.api("POST /v1/merchant/orders/{id}/accept", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Accept(ctx, a, r.PathValue("id"))
	})
	h.api("POST /v1/merchant/orders/{id}/reject", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in struct {
			Reason string `json:"reason"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.Reject(ctx, a, r.PathValue("id"), in.Reason)
	})
	h.api("POST /v1/merchant/orders/{id}/status", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in struct {
			Status sodam.OrderStatus `json:"status"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.Advance(ctx, a, r.PathValue("id"), in.Status)
	})
	h.api("GET /v1/merchant/complaints", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Complaints(ctx, a, r.URL.Query().Get("all") != "")
	})
	h.api("POST /v1/merchant/complaints/{id}/reply", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in struct {
			Reply   string `json:"reply"`
			Resolve bool   `json:"resolve"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.ReplyComplaint(ctx, a, r.PathValue("id"), in.Reply, in.Resolve)
	})
	h.api("POST /v1/merchant/complaints/{id}/resolve", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.ResolveComplaint(ctx, a, r.PathValue("id"))
	})
	h.api("GET /v1/merchant/inquiries", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Inquiries(ctx, a, r.URL.Query().Get("all") != "")
	})
	h.api("POST /v1/merchant/inquiries/{id}/answer", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in struct {
			Answer string `json:"answer"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.Answer(ctx, a, r.PathValue("id"), in.Answer)
	})
	h.api("GET /v1/merchant/menu", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Menu(ctx, a)
	})
	h.api("POST /v1/merchant/menu", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in merchant.MenuEdit
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.EditMenu(ctx, a, in)
	})
	h.api("PATCH /v1/merchant/menu/{id}", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in merchant.MenuEdit
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		in.ID = r.PathValue("id")
		return s.EditMenu(ctx, a, in)
	})
	h.api("GET /v1/merchant/events", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Events(ctx, a)
	})
	h.api("GET /v1/merchant/events/{id}/bookings", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Bookings(ctx, a, r.PathValue("id"))
	})
	h.api("GET /v1/merchant/broadcasts", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		return s.Broadcasts(ctx, a)
	})
	h.api("POST /v1/merchant/broadcasts", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		var in struct {
			Text string `json:"text"`
		}
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return s.Broadcast(ctx, a, in.Text)
	})
	h.api("GET /v1/merchant/settlement", func(ctx context.Context, a *sodam.MerchantAccount, r *http.Request) (any, error) {
		date, err := merchant.ParseDate(r.URL.Query().Get("date"))
		if err != nil {
			return nil, err
		}
		return s.SettleAccount(ctx, a, date)
	})
	h.mux.HandleFunc("/v1/merchant/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, h.log, r, sodam.Errorf(sodam.ENOTFOUND, "없는 API예요: %s %s", r.Method, r.URL.Path))
	})
}

// api mounts an endpoint behind the key check.
func (h *Handler) api(pattern string, fn endpoint) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sodam-merchant"`)
			writeError(w, h.log, r, sodam.Errorf(sodam.EUNAUTHORIZED, "API 키가 필요해요. Authorization: Bearer <키>로 보내 주세요."))
			return
		}
		acct, err := h.svc.Authenticate(r.Context(), strings.TrimSpace(key))
		if err != nil {
			writeError(w, h.log, r, err)
			return
		}
		v, err := fn(r.Context(), acct, r)
		if err != nil {
			writeError(w, h.log, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	})
}

// decode reads a JSON body into v, refusing unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return &sodam.Error{Code: sodam.EINVALID, Op: "merchantapi.decode", Message: "요청 본문이 올바른 JSON이 아니에요.", Err: err}
	}
	return nil
}

func writeError(w http.ResponseWriter, log *slog.Logger, r *http.Request, err error) {
	status, _, _ := httpapi.ErrorMapping(err)
	code := sodam.ErrorCode(err)
	if code == sodam.EINTERNAL {
		log.Error("merchant api failed", "path", r.URL.Path, "request_id", httpapi.RequestID(r.Context()), "err", err)
	}
	var body httpapi.ErrorBody
	body.Error.Code = code
	body.Error.Message = sodam.ErrorMessage(err)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// secure sets the headers of the console's files: only its own scripts
// and styles run, and it is not framed.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}
