package kakao

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// SecretHeader is the request header that carries the shared secret when
// one is configured. Set it in the skill's settings in Open Builder
// (스킬 > 헤더값 입력) to the value of SODAM_KAKAO_SECRET.
const SecretHeader = "X-Sodam-Skill-Secret"

// Texts of the answers that do not come from the assistant.
const (
	// WaitText acknowledges a turn that is still running.
	WaitText = "잠시만요, 처리 중이에요…"
	// LaterText answers a turn that ran past the time limit without a
	// callback: its answer comes with the user's next message.
	LaterText = WaitText + " 조금 뒤에 '결과 보기'를 눌러 주세요."
	// CheckLabel and CheckText are the quick reply that asks for a late
	// answer; CheckText is answered from the held result, not as a turn.
	CheckLabel = "결과 보기"
	CheckText  = "결과 보기"
	// noLateText answers CheckText when there is nothing to show.
	noLateText = "지금 보여 드릴 결과가 없어요. 무엇을 도와드릴까요?"
)

// Defaults of Config.
const (
	DefaultBudget          = 4500 * time.Millisecond
	DefaultCallbackBudget  = 3 * time.Second
	DefaultCallbackWindow  = time.Minute
	DefaultTurnTimeout     = 30 * time.Second
	DefaultLateTTL         = 10 * time.Minute
	DefaultMaxLate         = 10000
	maxSkillRequestBytes   = 64 << 10
	callbackSafetyMargin   = 5 * time.Second
	callbackResponseMaxLog = 512
)

// Config tunes a Handler. The zero value is usable: no secret, the
// default time budgets, callbacks only to https URLs under kakao.com.
type Config struct {
	// Secret, when set, must arrive in SecretHeader; requests without it
	// are refused with 401.
	Secret string
	// Budget is how long a request waits for its turn when there is no
	// callback URL, before answering LaterText. Kakao gives a skill 5
	// seconds in all.
	Budget time.Duration
	// CallbackBudget is how long a request with a callback URL waits for
	// its turn before answering useCallback and posting the answer later.
	CallbackBudget time.Duration
	// CallbackWindow is how long a callback URL stays valid after the
	// request (a minute, per Kakao).
	CallbackWindow time.Duration
	// TurnTimeout bounds a turn without a callback whose answer is held
	// for the user's next message.
	TurnTimeout time.Duration
	// LateTTL is how long a held answer waits for the next message.
	LateTTL time.Duration
	// AllowCallback tells whether the service may post to a callback URL.
	// The default allows https URLs on kakao.com and its subdomains, so
	// that a forged request cannot make the service post elsewhere.
	AllowCallback func(u *url.URL) bool
	// Client posts callbacks; http.DefaultClient when nil.
	Client *http.Client
	// Observe, when set, is told how each request was answered: "direct",
	// "callback" (acknowledged, answer posted later), "later" (answer held
	// for the next message) or "held" (a held answer shown).
	Observe func(outcome string)
}

// Handler serves the skill endpoint. It is safe for concurrent use.
type Handler struct {
	assistant sodam.Assistant
	log       *slog.Logger
	cfg       Config
	secret    [sha256.Size]byte

	mu   sync.Mutex
	late map[string]*lateAnswer // by user key

	wg sync.WaitGroup
}

// lateAnswer is the answer of a turn that outran its request.
type lateAnswer struct {
	done chan struct{} // closed once resp is set
	resp *SkillResponse
	at   time.Time // when resp was set
}

// New returns a handler that answers with a.
func New(a sodam.Assistant, logger *slog.Logger, cfg Config) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	if cfg.CallbackBudget <= 0 {
		cfg.CallbackBudget = DefaultCallbackBudget
	}
	if cfg.CallbackWindow <= 0 {
		cfg.CallbackWindow = DefaultCallbackWindow
	}
	if cfg.TurnTimeout <= 0 {
		cfg.TurnTimeout = DefaultTurnTimeout
	}
	if cfg.LateTTL <= 0 {
		cfg.LateTTL = DefaultLateTTL
	}
	if cfg.AllowCallback == nil {
		cfg.AllowCallback = KakaoCallbackURL
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Observe == nil {
		cfg.Observe = func(string) {}
	}
	return &Handler{assistant: a, log: logger, cfg: cfg, secret: sha256.Sum256([]byte(cfg.Secret)), late: map[string]*lateAnswer{}}
}

// KakaoCallbackURL allows https URLs on kakao.com and its subdomains.
func KakaoCallbackURL(u *url.URL) bool {
	h := u.Hostname()
	return u.Scheme == "https" && (h == "kakao.com" || strings.HasSuffix(h, ".kakao.com"))
}

// Wait blocks until every turn and callback started by the handler has
// finished, or ctx is done. Serving code calls it at shutdown; tests call
// it before they look at the results.
func (h *Handler) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// UserKey is the id the service knows a Kakao user by: "kakao:" and the
// botUserKey (userRequest.user.id). The botUserKey is in every request
// and stays the same for a user of the bot, while plusfriendUserKey is
// missing in some (the builder's test panel, users who have not added the
// channel); keying on it when present would split one user's history in
// two. The empty string means the request names no user.
func UserKey(r *SkillRequest) string {
	id := strings.TrimSpace(r.UserRequest.User.ID)
	if id == "" || len(id) > 128 {
		return ""
	}
	return "kakao:" + id
}

// ServeHTTP answers one skill request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if h.cfg.Secret != "" {
		got := sha256.Sum256([]byte(r.Header.Get(SecretHeader)))
		if subtle.ConstantTimeCompare(got[:], h.secret[:]) != 1 {
			h.log.WarnContext(r.Context(), "kakao skill: wrong or missing secret", "remote", r.RemoteAddr)
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": sodam.EUNAUTHORIZED, "message": "인증되지 않은 요청이에요."}})
			return
		}
	}
	var req SkillRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSkillRequestBytes)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": sodam.EINVALID, "message": "요청을 읽을 수 없어요."}})
		return
	}
	key := UserKey(&req)
	if key == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": sodam.EINVALID, "message": "userRequest.user.id가 필요해요."}})
		return
	}
	httpapi.AddLogAttrs(r.Context(), slog.String("user_id", key), slog.String("channel", "kakao"))

	text := strings.TrimSpace(req.UserRequest.Utterance)
	if text == CheckText {
		h.answerCheck(w, r, key)
		return
	}
	if text == "" {
		h.reply(w, "direct", TextResponse(emptyResponseText))
		return
	}

	var cb *url.URL
	if raw := req.UserRequest.CallbackURL; raw != "" {
		u, err := url.Parse(raw)
		switch {
		case err != nil || !h.cfg.AllowCallback(u):
			h.log.WarnContext(r.Context(), "kakao skill: callback URL not allowed", "callback_url", raw)
		default:
			cb = u
		}
	}

	// The turn runs apart from the request so that it can finish after the
	// answer has gone: its answer is then posted to the callback URL or
	// held for the next message.
	timeout := h.cfg.TurnTimeout
	budget := h.cfg.Budget
	if cb != nil {
		timeout = h.cfg.CallbackWindow - callbackSafetyMargin
		budget = h.cfg.CallbackBudget
	}
	turnCtx, cancel := context.WithDeadline(context.WithoutCancel(r.Context()), arrived.Add(timeout))
	done := make(chan *SkillResponse, 1)
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer cancel()
		done <- h.respond(turnCtx, sodam.Turn{UserID: key, Text: text, Channel: "kakao"})
	}()

	timer := time.NewTimer(budget - time.Since(arrived))
	defer timer.Stop()
	select {
	case resp := <-done:
		if held := h.takeLate(key); held != nil {
			h.reply(w, "held", merge(held, resp))
			return
		}
		h.reply(w, "direct", resp)
	case <-timer.C:
		if cb != nil {
			h.reply(w, "callback", &SkillResponse{Version: Version, UseCallback: true, Data: map[string]any{"text": WaitText}})
			h.wg.Add(1)
			go func() {
				defer h.wg.Done()
				h.postCallback(r.Context(), cb, arrived.Add(h.cfg.CallbackWindow), <-done)
			}()
			return
		}
		ack := withCheckReply(TextResponse(LaterText))
		if held := h.takeLate(key); held != nil {
			ack = merge(held, ack)
		}
		h.holdLate(key, done)
		h.reply(w, "later", ack)
	case <-r.Context().Done():
		// Kakao gave up on the request: keep the answer for next time.
		h.holdLate(key, done)
	}
}

// respond runs a turn and renders its answer, or the error's text.
func (h *Handler) respond(ctx context.Context, t sodam.Turn) *SkillResponse {
	resp, err := h.assistant.Respond(ctx, t)
	if err != nil {
		if sodam.ErrorCode(err) == sodam.EINTERNAL {
			h.log.ErrorContext(ctx, "kakao skill: turn failed", "user_id", t.UserID, "err", err)
		}
		return TextResponse(ErrorText(err))
	}
	return Render(resp)
}

// ErrorText is what the skill answers when a turn fails: the error's own
// message when it has one for the user, else the Kakao text of its code.
func ErrorText(err error) string {
	var e *sodam.Error
	if errors.As(err, &e) && e.Message != "" && e.Code != sodam.EINTERNAL {
		return e.Message
	}
	_, _, text := httpapi.ErrorMapping(err)
	return text
}

// answerCheck answers CheckText with the held answer, waiting for it
// within the budget when its turn is still running.
func (h *Handler) answerCheck(w http.ResponseWriter, r *http.Request, key string) {
	h.mu.Lock()
	la := h.late[key]
	h.mu.Unlock()
	if la == nil {
		h.reply(w, "direct", TextResponse(noLateText))
		return
	}
	timer := time.NewTimer(h.cfg.Budget)
	defer timer.Stop()
	select {
	case <-la.done:
	case <-timer.C:
	case <-r.Context().Done():
		return
	}
	if held := h.takeLate(key); held != nil {
		h.reply(w, "held", held)
		return
	}
	h.reply(w, "later", withCheckReply(TextResponse(LaterText)))
}

// holdLate keeps the answer that will arrive on done for key's next
// message. Only the latest late answer of a user is kept.
func (h *Handler) holdLate(key string, done <-chan *SkillResponse) {
	la := &lateAnswer{done: make(chan struct{})}
	h.mu.Lock()
	h.sweepLocked()
	if len(h.late) >= DefaultMaxLate {
		h.mu.Unlock()
		h.log.Warn("kakao skill: too many held answers; dropping one", "user_id", key)
		return
	}
	h.late[key] = la
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		resp := <-done
		h.mu.Lock()
		la.resp, la.at = resp, time.Now()
		h.mu.Unlock()
		close(la.done)
	}()
}

// takeLate removes and returns key's held answer when it has arrived and
// has not expired.
func (h *Handler) takeLate(key string) *SkillResponse {
	h.mu.Lock()
	defer h.mu.Unlock()
	la := h.late[key]
	if la == nil || la.resp == nil {
		return nil
	}
	delete(h.late, key)
	if time.Since(la.at) > h.cfg.LateTTL {
		return nil
	}
	return la.resp
}

// sweepLocked drops expired held answers.
func (h *Handler) sweepLocked() {
	for k, la := range h.late {
		if la.resp != nil && time.Since(la.at) > h.cfg.LateTTL {
			delete(h.late, k)
		}
	}
}

// postCallback posts resp to the callback URL once, before deadline.
func (h *Handler) postCallback(ctx context.Context, cb *url.URL, deadline time.Time, resp *SkillResponse) {
	ctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
	defer cancel()
	body, err := json.Marshal(resp)
	if err != nil {
		h.log.ErrorContext(ctx, "kakao skill: encode callback", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cb.String(), bytes.NewReader(body))
	if err != nil {
		h.log.ErrorContext(ctx, "kakao skill: callback request", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := h.cfg.Client.Do(req)
	if err != nil {
		h.log.ErrorContext(ctx, "kakao skill: callback failed", "err", err)
		return
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		h.log.ErrorContext(ctx, "kakao skill: callback refused", "status", res.StatusCode)
		return
	}
	h.log.InfoContext(ctx, "kakao skill: callback sent", "status", res.StatusCode)
}

// merge puts a held answer before the current one: the held answer keeps
// one bubble (its first), the current one the rest, and the current one's
// quick replies stay.
func merge(held, cur *SkillResponse) *SkillResponse {
	if held.Template == nil || len(held.Template.Outputs) == 0 {
		return cur
	}
	if cur.Template == nil {
		return held
	}
	outs := []Output{held.Template.Outputs[0]}
	for _, o := range cur.Template.Outputs {
		if len(outs) == MaxOutputs {
			break
		}
		outs = append(outs, o)
	}
	return &SkillResponse{Version: Version, Template: &SkillTemplate{Outputs: outs, QuickReplies: cur.Template.QuickReplies}}
}

// withCheckReply adds the quick reply that asks for a late answer.
func withCheckReply(r *SkillResponse) *SkillResponse {
	r.Template.QuickReplies = append(r.Template.QuickReplies, QuickReply{Label: CheckLabel, Action: "message", MessageText: CheckText})
	return r
}

func (h *Handler) reply(w http.ResponseWriter, outcome string, resp *SkillResponse) {
	h.cfg.Observe(outcome)
	writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("encode: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
