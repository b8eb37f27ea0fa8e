package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/merchantapi"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/merchant"
)

// chatPusher is what the merchant side needs of the websocket chat to
// reach users at once; *ws.Server implements it.
type chatPusher interface {
	Push(userID string, ev ws.Event) int
}

// chatNotifier delivers the merchant side's notices as websocket events.
type chatNotifier struct{ chat chatPusher }

// Notify implements merchant.Notifier.
func (c chatNotifier) Notify(userID string, n *sodam.Notice) int {
	if c.chat == nil {
		return 0
	}
	return c.chat.Push(userID, ws.Event{Event: string(n.Kind), OrderID: n.OrderID, Status: n.Status, Text: n.Text, At: n.At})
}

// merchantRecords returns the merchant side's records kept by st.
func merchantRecords(st sodam.Store) (merchant.Records, error) {
	switch st := st.(type) {
	case *memstore.Store:
		return memstore.NewMerchantRecords(st), nil
	case *postgres.Store:
		return postgres.NewMerchantRecords(st), nil
	}
	return nil, fmt.Errorf("the store %T keeps no merchant records", st)
}

// newMerchant builds the merchant side over the app. chat, when not nil,
// reaches users' open chats; without it notices wait for the next
// connection.
//
// $SODAM_COMMISSION_BP sets the platform's default commission in basis
// points (1000 = 10%, the default).
func newMerchant(a *app, chat chatPusher, getenv func(string) string) (*merchant.Service, error) {
	recs, err := merchantRecords(a.Store)
	if err != nil {
		return nil, err
	}
	bp := 0
	if v := getenv("SODAM_COMMISSION_BP"); v != "" {
		if bp, err = strconv.Atoi(v); err != nil || bp < 0 || bp > 10000 {
			return nil, fmt.Errorf("SODAM_COMMISSION_BP must be basis points from 0 to 10000, not %q", v)
		}
	}
	cfg := merchant.Config{Store: a.Store, Records: recs, Orders: a.Tools, Notifier: chatNotifier{chat},
		Clock: a.Clock, Logger: a.Logger, CommissionBP: bp}
	if a.Assistant != nil {
		cfg.CatalogChanged = a.Assistant.ReloadCatalog
	}
	return merchant.New(cfg), nil
}

// mountMerchant mounts the merchant API (/v1/merchant/) and the merchant
// console (/merchant/) on api and returns the merchant service. It reaches
// users through a.Chat, the websocket chat that mountChat mounted (call
// mountChat first); the service's Connected delivers what waited for a
// user when their chat connects.
//
// Keys are issued with `assistant merchant key`, which needs the
// database. On the embedded store, which lives only as long as the
// server, $SODAM_MERCHANT_CHANNELS (comma-separated channel ids) makes
// the server issue a key for each at start and log it.
func mountMerchant(ctx context.Context, api *httpapi.Server, a *app, getenv func(string) string) (*merchant.Service, error) {
	var chat chatPusher
	if a.Chat != nil {
		chat = a.Chat
	}
	svc, err := newMerchant(a, chat, getenv)
	if err != nil {
		return nil, err
	}
	merchantapi.New(svc, a.Logger).Mount(api)
	if _, embedded := a.Store.(*memstore.Store); embedded {
		for _, ch := range strings.Split(getenv("SODAM_MERCHANT_CHANNELS"), ",") {
			if ch = strings.TrimSpace(ch); ch == "" {
				continue
			}
			key, _, err := svc.IssueKey(ctx, ch)
			if err != nil {
				return nil, fmt.Errorf("merchant key for %s: %w", ch, err)
			}
			a.Logger.Info("merchant key issued for the embedded store", "channel", ch, "key", key)
		}
	}
	return svc, nil
}
