package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/catalog/demo"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/connectors/web"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/evals"
	"github.com/sodam-ai/sodam/nlu"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// appConfig is what the service is built from.
type appConfig struct {
	DatabaseURL string      // Postgres; the embedded store when empty
	Clock       sodam.Clock // the wall clock when nil
	BaseURL     string      // where the service is reached, for payment redirects
	// SandboxRedirect turns the sandbox's auto-approval off: the user
	// approves each payment on its page, which returns to BaseURL's
	// /pay/return/{id} (the flow of the real provider).
	SandboxRedirect bool
	// Pay, when set, takes payments instead of the sandbox (serve sets
	// KakaoPay when SODAM_KAKAOPAY_SECRET_KEY is set).
	Pay sodam.PaymentProvider
	// Metrics, when set, count payment provider calls and tool calls.
	Metrics *httpapi.Metrics
	Logger  *slog.Logger
	// Planner puts a language model around the dialogue manager; the
	// zero value leaves the dialogue manager alone.
	Planner plannerConfig
	// Embedder makes the vectors of catalog records and queries; the
	// built-in hash embedder when nil.
	Embedder retrieval.Embedder
	// Bus says how state changes reach the other servers; the zero
	// value keeps them in process.
	Bus busConfig
}

// app is the wired service: the store, the payment provider, the tools,
// the NLU pipeline and the dialogue manager.
type app struct {
	Store     sodam.Store
	Search    sodam.Searcher
	Sandbox   *sandboxpay.Provider
	Pay       sodam.PaymentProvider
	Tools     *tools.Toolbox
	Pipeline  *nlu.Pipeline
	Assistant *assistant.Assistant
	// Responder answers turns: the planner around Assistant, or
	// Assistant itself in the nlu mode.
	Responder sodam.Assistant
	// Chat is the websocket chat once mountChat has mounted it: the
	// merchant side pushes order steps and replies through it.
	Chat *ws.Server
	// Merchant links the dialogue and the chat to the merchant side once
	// mountMerchant has built it.
	Merchant *merchantLink
	Clock    sodam.Clock
	Logger   *slog.Logger
	// Ready reports whether the store answers.
	Ready func(ctx context.Context) error
	// Bus carries state changes to every server, this one included;
	// BusHealth reports it degraded (nil for the in-process bus).
	Bus       sodam.EventBus
	BusHealth func(ctx context.Context) error
	Close     func()
}

// newApp wires the service. With no database it runs on the embedded
// store loaded with the demo catalog (its sessions laid out after today);
// with one, it uses Postgres and loads the demo catalog only into an empty
// catalog.
func newApp(ctx context.Context, cfg appConfig) (*app, error) {
	a := &app{Clock: cfg.Clock, Logger: cfg.Logger, Close: func() {}, Ready: func(context.Context) error { return nil }}
	if a.Clock == nil {
		a.Clock = sodam.WallClock
	}
	if a.Logger == nil {
		a.Logger = slog.Default()
	}
	now := a.Clock.Now()
	if cfg.Embedder == nil {
		cfg.Embedder = retrieval.NewHashEmbedder(retrieval.DefaultDim)
	}
	var pg *postgres.Store // nil on the embedded store
	if cfg.DatabaseURL == "" {
		st := memstore.New(retrieval.NewIndex(cfg.Embedder), a.Clock)
		if err := demo.Load(ctx, st, now); err != nil {
			return nil, fmt.Errorf("load demo catalog: %w", err)
		}
		a.Store, a.Search = st, st
	} else {
		st, closeStore, err := openStoreWith(ctx, postgres.Config{URL: cfg.DatabaseURL, Embedder: cfg.Embedder})
		if err != nil {
			return nil, err
		}
		pg = st
		a.Store, a.Search, a.Close, a.Ready = st, st, closeStore, st.Ping
		ms, err := st.Merchants(ctx)
		if err != nil {
			closeStore()
			return nil, err
		}
		if len(ms) == 0 {
			a.Logger.Info("the catalog is empty: loading the demo catalog")
			if err := demo.Load(ctx, st, now); err != nil {
				closeStore()
				return nil, fmt.Errorf("load demo catalog: %w", err)
			}
		}
	}

	bus, health, closeBus, err := openBus(ctx, cfg.Bus, pg, a)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Bus, a.BusHealth = bus, health
	closeStore := a.Close
	a.Close = func() { closeBus(); closeStore() }

	start := time.Now()
	train, err := evals.ReadTrainingSet()
	if err != nil {
		a.Close()
		return nil, err
	}
	cls, err := nlu.TrainClassifier(train)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("train the intent classifier: %w", err)
	}
	cat, err := nluCatalog(ctx, a.Store)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Pipeline = nlu.NewPipeline(cls, cat)
	a.Logger.Info("nlu ready", "examples", len(train), "took", time.Since(start).Round(time.Millisecond))

	a.Sandbox = sandboxpay.New(cfg.BaseURL, a.Clock)
	if pg != nil { // servers sharing the database share the sandbox's books
		a.Sandbox.Ledger = postgres.NewSandboxLedger(pg)
	}
	a.Sandbox.AutoApprove = !cfg.SandboxRedirect
	a.Pay = a.Sandbox
	if cfg.Pay != nil {
		a.Pay = cfg.Pay
	}
	a.Pay = cfg.Metrics.Payments(a.Pay)
	a.Tools = tools.New(a.Store, a.Search, a.Pay, a.Clock, tools.WithPlaces(retrieval.LookupPlace), tools.WithLogger(a.Logger),
		tools.WithObserver(cfg.Metrics.ObserveToolCall), tools.WithEvents(a.Bus),
		tools.WithCallbackURLs(web.CallbackURLs(cfg.BaseURL)))
	a.Merchant = &merchantLink{}
	// One subscription per server: the events of every server, this one
	// included, reach the users connected here once the chat and the
	// merchant side are mounted.
	if err := a.Bus.Subscribe(ctx, a.Merchant.HandleEvent); err != nil {
		a.Close()
		return nil, fmt.Errorf("subscribe to the event bus: %w", err)
	}
	a.Assistant = assistant.New(a.Tools, a.Pipeline, a.Store, a.Clock, assistant.WithRecords(a.Store), assistant.WithLogger(a.Logger),
		assistant.WithInquiries(a.Merchant), assistant.WithNews(a.Merchant))
	if a.Responder, err = cfg.Planner.wrap(a.Assistant, a.Tools, a.Pipeline, a.Clock, a.Logger); err != nil {
		a.Close()
		return nil, err
	}
	if pg != nil {
		// Servers sharing the database take one user's turns one at a
		// time, whichever server each reaches.
		a.Responder = assistant.Serialize(a.Responder, pg, pg.MaxConns()/2, assistant.DefaultLockTimeout)
	}
	return a, nil
}

// nluCatalog indexes the store's catalog for linking names in messages.
func nluCatalog(ctx context.Context, st sodam.CatalogStore) (*nlu.Catalog, error) {
	ms, err := st.Merchants(ctx)
	if err != nil {
		return nil, err
	}
	is, err := st.MenuItems(ctx, "")
	if err != nil {
		return nil, err
	}
	es, err := st.Events(ctx)
	if err != nil {
		return nil, err
	}
	return nlu.NewCatalog(ms, is, es), nil
}
