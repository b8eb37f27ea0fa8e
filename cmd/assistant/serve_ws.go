package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/sodam-ai/sodam/assistant/llm"
	"net/url"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/web"
	"github.com/sodam-ai/sodam/connectors/ws"
)

// mountChat mounts the websocket chat (/ws), the web chat page (/ and
// /static/) and the payment return page (/pay/return/{id}) on api. It
// returns a function that drains open connections at shutdown.
//
// Session tokens are signed with $SODAM_SESSION_SECRET (at least 16
// bytes); without it a random key is used, logged as a warning, and
// sessions end when the server stops.
func mountChat(ctx context.Context, api *httpapi.Server, a *app, baseURL string, getenv func(string) string) (drain func(context.Context), err error) {
	secret := []byte(getenv("SODAM_SESSION_SECRET"))
	switch {
	case len(secret) == 0:
		a.Logger.Warn("SODAM_SESSION_SECRET is not set: session tokens are signed with a random key and end when the server stops")
		secret = ws.NewSecret()
	case len(secret) < 16:
		return nil, errors.New("SODAM_SESSION_SECRET must be at least 16 bytes")
	}
	var origins []string
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	cfg := ws.Config{
		Assistant:      a.Responder,
		Tokens:         ws.NewTokens(secret, 0, a.Clock),
		Users:          a.Store,
		Logger:         a.Logger,
		AllowedOrigins: origins,
		// A language model's reply reaches the page as it is written.
		Stream: func(ctx context.Context, send func(string)) context.Context {
			return llm.WithStream(ctx, llm.StreamFunc(send))
		},
	}
	if a.Merchant != nil {
		// Notices that waited while the user was away arrive, in order
		// and once, right after the welcome.
		cfg.OnJoin = a.Merchant.Connected
	}
	chat := ws.NewServer(cfg)
	a.Chat = chat
	if a.Merchant != nil {
		a.Merchant.chat.Store(chat)
	}
	api.Handle("GET /ws", chat)
	page := web.Handler()
	api.Handle("GET /{$}", page)
	api.Handle("GET /static/", page)
	api.Handle("GET "+web.ReturnPath+"{paymentID}", &web.PaymentReturn{
		Complete: func(ctx context.Context, paymentID, pgToken string) (*sodam.Payment, error) {
			out, err := a.Tools.CompletePayment(ctx, paymentID, pgToken)
			if err != nil {
				return nil, err
			}
			return out.Payment, nil
		},
		// The user's chat may be on another server: the approval
		// travels on the bus to whichever holds it.
		Approved: func(p *sodam.Payment) {
			ev := &sodam.BusEvent{ID: "ev-paid-" + p.ID, Kind: sodam.EventPaymentApproved, UserID: p.UserID, PaymentID: p.ID,
				OrderID: p.OrderID, BookingID: p.BookingID, Status: string(p.Status), Amount: p.Amount, At: a.Clock.Now().In(sodam.Seoul)}
			if err := a.Bus.Publish(context.WithoutCancel(ctx), ev); err != nil {
				a.Logger.Error("publish an approved payment", "payment", p.ID, "err", err)
			}
		},
		Logger: a.Logger,
	})
	return func(ctx context.Context) {
		if err := chat.Shutdown(ctx); err != nil {
			a.Logger.Warn("websocket connections did not drain in time", "err", err)
		}
	}, nil
}

// notifyPaid tells the user's open chats on this server that a payment
// was approved and what became of its order.
func notifyPaid(chat *ws.Server, p *sodam.BusEvent) {
	if chat == nil {
		return
	}
	chat.Push(p.UserID, ws.Event{
		Event: ws.EventPaymentApproved, PaymentID: p.PaymentID, OrderID: p.OrderID, BookingID: p.BookingID,
		Status: p.Status, Amount: p.Amount,
		Text: fmt.Sprintf("결제가 완료됐어요. %s 결제했어요.", assistant.Won(p.Amount)),
	})
	if p.OrderID != "" {
		chat.Push(p.UserID, ws.Event{
			Event: ws.EventOrderStatus, OrderID: p.OrderID, Status: string(sodam.OrderPaid),
			Text: "결제된 주문이 가게로 전달됐어요.",
		})
	}
}
