// Package kakaopay is a client of KakaoPay's online single payment API
// (ready, approve, cancel, order lookup) that implements
// sodam.PaymentProvider under the name "kakaopay".
//
// It speaks the current open API: POST https://open-api.kakaopay.com/
// online/v1/payment/{ready,approve,cancel,order} with JSON bodies and the
// header "Authorization: SECRET_KEY <key>". Failures map to the service's
// error codes: a 4xx answer is EINVALID (or ECONFLICT when KakaoPay says
// the payment's state does not allow it), a 5xx answer, a timeout or a
// broken connection EUNAVAILABLE. Nothing is retried: an Approve whose
// outcome is unknown is settled by the caller through Lookup.
package kakaopay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// Name is the provider's name in payments.
const Name = "kakaopay"

// Defaults of Config.
const (
	DefaultBaseURL = "https://open-api.kakaopay.com"
	DefaultCID     = "TC0ONETIME" // KakaoPay's test merchant code
	DefaultTimeout = 10 * time.Second
)

// Environment variables read by ConfigFromEnv.
const (
	EnvSecretKey = "SODAM_KAKAOPAY_SECRET_KEY"
	EnvCID       = "SODAM_KAKAOPAY_CID"
	EnvBaseURL   = "SODAM_KAKAOPAY_BASE_URL"
)

// Config configures a Client.
type Config struct {
	SecretKey string        // the secret key (dev or live) of the partner
	CID       string        // the merchant code; DefaultCID when empty
	BaseURL   string        // DefaultBaseURL when empty
	Timeout   time.Duration // per call; DefaultTimeout when not positive
	// HTTPClient sends the calls; a client with no timeout of its own
	// when nil (Timeout bounds each call).
	HTTPClient *http.Client
}

// ConfigFromEnv reads the configuration from getenv. ok is false when no
// secret key is set, in which case the service keeps its sandbox.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool) {
	cfg = Config{SecretKey: strings.TrimSpace(getenv(EnvSecretKey)), CID: getenv(EnvCID), BaseURL: getenv(EnvBaseURL)}
	return cfg, cfg.SecretKey != ""
}

// Client talks to KakaoPay. It is safe for concurrent use.
type Client struct {
	cfg Config
}

var _ sodam.PaymentProvider = (*Client)(nil)

// New returns a client; it fails when cfg has no secret key.
func New(cfg Config) (*Client, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("kakaopay: a secret key is required")
	}
	if cfg.CID == "" {
		cfg.CID = DefaultCID
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	return &Client{cfg: cfg}, nil
}

// Name implements sodam.PaymentProvider.
func (c *Client) Name() string { return Name }

// The wire bodies, with KakaoPay's field names.
type (
	readyRequest struct {
		CID            string `json:"cid"`
		PartnerOrderID string `json:"partner_order_id"`
		PartnerUserID  string `json:"partner_user_id"`
		ItemName       string `json:"item_name"`
		Quantity       int    `json:"quantity"`
		TotalAmount    int64  `json:"total_amount"`
		TaxFreeAmount  int64  `json:"tax_free_amount"`
		ApprovalURL    string `json:"approval_url"`
		CancelURL      string `json:"cancel_url"`
		FailURL        string `json:"fail_url"`
	}
	readyResponse struct {
		TID                   string    `json:"tid"`
		NextRedirectPCURL     string    `json:"next_redirect_pc_url"`
		NextRedirectMobileURL string    `json:"next_redirect_mobile_url"`
		NextRedirectAppURL    string    `json:"next_redirect_app_url"`
		CreatedAt             kakaoTime `json:"created_at"`
	}
	approveRequest struct {
		CID            string `json:"cid"`
		TID            string `json:"tid"`
		PartnerOrderID string `json:"partner_order_id"`
		PartnerUserID  string `json:"partner_user_id"`
		PGToken        string `json:"pg_token"`
		TotalAmount    int64  `json:"total_amount,omitempty"`
	}
	amount struct {
		Total   int64 `json:"total"`
		TaxFree int64 `json:"tax_free"`
		VAT     int64 `json:"vat"`
	}
	approveResponse struct {
		AID               string    `json:"aid"`
		TID               string    `json:"tid"`
		PaymentMethodType string    `json:"payment_method_type"`
		Amount            amount    `json:"amount"`
		ApprovedAt        kakaoTime `json:"approved_at"`
	}
	cancelRequest struct {
		CID                 string `json:"cid"`
		TID                 string `json:"tid"`
		CancelAmount        int64  `json:"cancel_amount"`
		CancelTaxFreeAmount int64  `json:"cancel_tax_free_amount"`
	}
	cancelResponse struct {
		TID            string    `json:"tid"`
		Status         string    `json:"status"`
		ApprovedCancel amount    `json:"approved_cancel_amount"`
		CanceledAmount amount    `json:"canceled_amount"`
		CanceledAt     kakaoTime `json:"canceled_at"`
	}
	orderRequest struct {
		CID string `json:"cid"`
		TID string `json:"tid"`
	}
	orderResponse struct {
		TID            string `json:"tid"`
		PartnerOrderID string `json:"partner_order_id"`
		Status         string `json:"status"`
		Amount         amount `json:"amount"`
		CanceledAmount amount `json:"canceled_amount"`
	}
	// errorResponse is KakaoPay's error body: the open API sends
	// error_code and error_message; the older API code and msg.
	errorResponse struct {
		ErrorCode    any    `json:"error_code"`
		ErrorMessage string `json:"error_message"`
		Code         any    `json:"code"`
		Msg          string `json:"msg"`
	}
)

// kakaoTime reads KakaoPay's times, which come without a zone
// ("2026-11-24T18:00:00") and are Seoul time.
type kakaoTime struct{ time.Time }

func (t *kakaoTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil || s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
		if v, err := time.ParseInLocation(layout, s, sodam.Seoul); err == nil {
			t.Time = v
			return nil
		}
	}
	return nil
}

// Ready registers a payment. Its errors: EINVALID for a request KakaoPay
// refuses, EUNAVAILABLE when KakaoPay cannot be reached or fails.
func (c *Client) Ready(ctx context.Context, r sodam.PaymentReadyRequest) (*sodam.PaymentTicket, error) {
	const op = "kakaopay.Ready"
	var out readyResponse
	err := c.call(ctx, op, "/online/v1/payment/ready", readyRequest{
		CID: c.cfg.CID, PartnerOrderID: r.PartnerOrderID, PartnerUserID: r.PartnerUserID,
		ItemName: r.ItemName, Quantity: max(r.Quantity, 1), TotalAmount: r.TotalAmount, TaxFreeAmount: r.TaxFreeAmount,
		ApprovalURL: r.ApprovalURL, CancelURL: r.CancelURL, FailURL: r.FailURL,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.TID == "" || out.NextRedirectPCURL == "" && out.NextRedirectMobileURL == "" {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: payFailedText, Err: errors.New("answer without tid or redirect URL")}
	}
	t := &sodam.PaymentTicket{TID: out.TID, RedirectURL: out.NextRedirectPCURL, MobileURL: out.NextRedirectMobileURL, CreatedAt: out.CreatedAt.Time}
	if t.RedirectURL == "" {
		t.RedirectURL = t.MobileURL
	}
	if t.MobileURL == "" {
		t.MobileURL = t.RedirectURL
	}
	return t, nil
}

// Approve charges a ready payment with the pg_token of the approval
// redirect. It is not retried: on EUNAVAILABLE the outcome is unknown and
// the caller settles it through Lookup.
func (c *Client) Approve(ctx context.Context, r sodam.PaymentApproveRequest) (*sodam.PaymentApproval, error) {
	const op = "kakaopay.Approve"
	var out approveResponse
	err := c.call(ctx, op, "/online/v1/payment/approve", approveRequest{
		CID: c.cfg.CID, TID: r.TID, PartnerOrderID: r.PartnerOrderID, PartnerUserID: r.PartnerUserID,
		PGToken: r.PGToken, TotalAmount: r.TotalAmount,
	}, &out)
	if err != nil {
		return nil, err
	}
	tid := out.TID
	if tid == "" {
		tid = r.TID
	}
	return &sodam.PaymentApproval{AID: out.AID, TID: tid, Amount: out.Amount.Total, MethodType: out.PaymentMethodType, ApprovedAt: out.ApprovedAt.Time}, nil
}

// Cancel refunds (part of) an approved payment.
func (c *Client) Cancel(ctx context.Context, r sodam.PaymentCancelRequest) (*sodam.PaymentCancellation, error) {
	const op = "kakaopay.Cancel"
	var out cancelResponse
	err := c.call(ctx, op, "/online/v1/payment/cancel", cancelRequest{
		CID: c.cfg.CID, TID: r.TID, CancelAmount: r.CancelAmount, CancelTaxFreeAmount: r.TaxFreeAmount,
	}, &out)
	if err != nil {
		return nil, err
	}
	cancelled := out.ApprovedCancel.Total
	if cancelled == 0 {
		cancelled = out.CanceledAmount.Total
	}
	tid := out.TID
	if tid == "" {
		tid = r.TID
	}
	return &sodam.PaymentCancellation{TID: tid, CancelledAmount: cancelled, Status: out.Status, CancelledAt: out.CanceledAt.Time}, nil
}

// Lookup tells the payment's state at KakaoPay; it is how an Approve of
// unknown outcome is settled (SUCCESS_PAYMENT means it went through).
func (c *Client) Lookup(ctx context.Context, tid string) (*sodam.ProviderPayment, error) {
	const op = "kakaopay.Lookup"
	var out orderResponse
	if err := c.call(ctx, op, "/online/v1/payment/order", orderRequest{CID: c.cfg.CID, TID: tid}, &out); err != nil {
		return nil, err
	}
	if out.TID == "" {
		out.TID = tid
	}
	return &sodam.ProviderPayment{TID: out.TID, PartnerOrderID: out.PartnerOrderID, Status: out.Status,
		Amount: out.Amount.Total, CancelledAmount: out.CanceledAmount.Total}, nil
}

const (
	payFailedText   = "카카오페이 결제를 진행하지 못했어요. 잠시 뒤 다시 시도해 주세요."
	payRefusedText  = "카카오페이에서 결제 요청을 받지 않았어요."
	payConflictText = "카카오페이 결제 상태가 맞지 않아 처리하지 못했어요."
	maxErrorBody    = 4 << 10
	maxAnswerBody   = 1 << 20
)

// call posts in as JSON to path and decodes a 2xx answer into out.
func (c *Client) call(ctx context.Context, op, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
	}
	req.Header.Set("Authorization", "SECRET_KEY "+c.cfg.SecretKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: payFailedText, Err: err}
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return statusError(op, res)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxAnswerBody)).Decode(out); err != nil {
		// The call reached KakaoPay but its answer was lost: the outcome is
		// unknown, which is what EUNAVAILABLE tells the caller.
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: payFailedText, Err: fmt.Errorf("read answer: %w", err)}
	}
	return nil
}

// statusError maps a non-2xx answer to an application error.
func statusError(op string, res *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	var e errorResponse
	_ = json.Unmarshal(b, &e)
	code, msg := e.ErrorCode, e.ErrorMessage
	if code == nil {
		code, msg = e.Code, e.Msg
	}
	cause := fmt.Errorf("status %d, code %v: %s", res.StatusCode, code, strings.TrimSpace(firstNonEmpty(msg, string(b))))
	switch {
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusRequestTimeout:
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: payFailedText, Err: cause}
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		// The service's key is wrong: not the user's doing.
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: cause}
	case res.StatusCode == http.StatusConflict || isStateError(code, msg):
		return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: payConflictText, Err: cause}
	}
	return &sodam.Error{Code: sodam.EINVALID, Op: op, Message: payRefusedText, Err: cause}
}

// isStateError tells KakaoPay errors about the payment's state (already
// approved, cancelled, expired) from malformed requests. KakaoPay reports
// these with 400 and a code or message naming the state.
func isStateError(code any, msg string) bool {
	s := strings.ToUpper(fmt.Sprint(code) + " " + msg)
	for _, w := range []string{"ALREADY", "STATUS", "EXPIRED", "이미", "상태"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
