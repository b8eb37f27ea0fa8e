package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
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
	Online(userID string) bool
}

// chatNotifier delivers the merchant side's notices as websocket events.
type chatNotifier struct{ chat chatPusher }

// Notify implements merchant.Notifier.
func (c chatNotifier) Notify(userID string, n *sodam.Notice) int { return c.push(userID, n, "") }

// Online implements merchant.Presence: without a chat nobody is.
func (c chatNotifier) Online(userID string) bool { return c.chat != nil && c.chat.Online(userID) }

// push sends n as an event from the channel named channelName.
func (c chatNotifier) push(userID string, n *sodam.Notice, channelName string) int {
	if c.chat == nil {
		return 0
	}
	return c.chat.Push(userID, ws.Event{Event: string(n.Kind), Seq: n.Seq, OrderID: n.OrderID, Status: n.Status,
		ChannelID: n.ChannelID, ChannelName: channelName, Text: n.Text, At: n.At})
}

// namedNotifier is a chatNotifier whose events also name the channel
// they come from (channel_name), as the page shows broadcasts.
type namedNotifier struct {
	chatNotifier
	names *channelNames
}

// Notify implements merchant.Notifier.
func (c namedNotifier) Notify(userID string, n *sodam.Notice) int {
	name := ""
	if n.ChannelID != "" && c.chat != nil {
		name = c.names.name(n.ChannelID)
	}
	return c.push(userID, n, name)
}

// channelNames names channels for events: a store's name, or an event
// channel's. Names are kept for a while, so that a broadcast to many
// subscribers looks the channel up once.
type channelNames struct {
	st    sodam.CatalogStore
	clock sodam.Clock

	mu    sync.Mutex
	known map[string]channelName
}

type channelName struct {
	name string
	at   time.Time
}

// channelNameTTL is how long a channel's name is kept before it is looked
// up again (a store renamed by a catalog update shows after it).
const channelNameTTL = 10 * time.Minute

func newChannelNames(st sodam.CatalogStore, clock sodam.Clock) *channelNames {
	return &channelNames{st: st, clock: clock, known: make(map[string]channelName)}
}

// name returns the channel's name, or "" when the catalog does not know
// it.
func (c *channelNames) name(id string) string {
	now := c.clock.Now()
	c.mu.Lock()
	k, ok := c.known[id]
	c.mu.Unlock()
	if ok && now.Sub(k.at) < channelNameTTL {
		return k.name
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	name := ""
	if m, err := c.st.Merchant(ctx, id); err == nil {
		name = m.Name
	} else if sodam.IsCode(err, sodam.ENOTFOUND) {
		if es, err := c.st.Events(ctx); err == nil {
			for _, e := range es {
				if e.ChannelID == id {
					name = e.ChannelName
					break
				}
			}
		}
	}
	c.mu.Lock()
	c.known[id] = channelName{name, now}
	c.mu.Unlock()
	return name
}

// merchantLink reaches the merchant side from what is built before it:
// the dialogue manager forwards questions and reads channel news through
// it, and the chat delivers waiting notices when a user connects.
// mountMerchant sets the service; until then questions are refused as
// unavailable, news is empty and connecting delivers nothing.
type merchantLink struct {
	svc  atomic.Pointer[merchant.Service]
	chat atomic.Pointer[ws.Server]
}

// HandleEvent applies an event of any server here: its notices reach the
// users connected to this server, and a payment approved on its page
// reaches the user's chats here. Until the chat and the merchant side
// are mounted nobody is connected, and notices wait in the outbox.
func (l *merchantLink) HandleEvent(ctx context.Context, e *sodam.BusEvent) error {
	if svc := l.svc.Load(); svc != nil && len(e.Notices) > 0 {
		if err := svc.HandleEvent(ctx, e); err != nil {
			return err
		}
	}
	if chat := l.chat.Load(); chat != nil && e.Kind == sodam.EventPaymentApproved {
		notifyPaid(chat, e)
	}
	return nil
}

var (
	_ assistant.InquirySink = (*merchantLink)(nil)
	_ assistant.NewsSource  = (*merchantLink)(nil)
)

// set points the link at the merchant service.
func (l *merchantLink) set(svc *merchant.Service) { l.svc.Store(svc) }

// Ask implements assistant.InquirySink with merchant.Service.Ask.
func (l *merchantLink) Ask(ctx context.Context, userID, channelID, question string, history []string) error {
	svc := l.svc.Load()
	if svc == nil {
		return sodam.Errorf(sodam.EUNAVAILABLE, "지금은 문의를 전달할 수 없어요. 잠시 뒤에 다시 시도해 주세요.")
	}
	_, err := svc.Ask(ctx, userID, channelID, question, history)
	return err
}

// News implements assistant.NewsSource with merchant.Service.News.
func (l *merchantLink) News(ctx context.Context, userID string, limit int) ([]assistant.NewsItem, error) {
	svc := l.svc.Load()
	if svc == nil {
		return nil, nil
	}
	ns, err := svc.News(ctx, userID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]assistant.NewsItem, len(ns))
	for i, n := range ns {
		out[i] = assistant.NewsItem{ChannelID: n.ChannelID, ChannelName: n.ChannelName, Text: n.Text, At: n.At}
	}
	return out, nil
}

// Connected delivers what waited for a user whose chat has just
// connected (ws.Config.OnJoin).
func (l *merchantLink) Connected(ctx context.Context, userID string) {
	if svc := l.svc.Load(); svc != nil {
		svc.Connected(ctx, userID)
	}
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
	cfg := merchant.Config{Store: a.Store, Records: recs, Orders: a.Tools, Notifier: namedNotifier{chatNotifier{chat}, newChannelNames(a.Store, a.Clock)},
		Events: a.Bus, Clock: a.Clock, Logger: a.Logger, CommissionBP: bp}
	if a.Assistant != nil {
		cfg.CatalogChanged = a.Assistant.ReloadCatalog
	}
	return merchant.New(cfg), nil
}

// mountMerchant mounts the merchant API (/v1/merchant/) and the merchant
// console (/merchant/) on api and returns the merchant service. It reaches
// users through a.Chat, the websocket chat that mountChat mounted (call
// mountChat first), and links the service into a.Merchant: the chat then
// delivers what waited for a user when their chat connects, and the
// dialogue forwards questions and shows channel news.
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
	if a.Merchant != nil {
		a.Merchant.set(svc)
	}
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
