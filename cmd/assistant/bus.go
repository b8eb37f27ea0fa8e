package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/membus"
	"github.com/sodam-ai/sodam/connectors/nats"
	"github.com/sodam-ai/sodam/connectors/postgres"
)

// busConfig says which event bus carries state changes between servers.
type busConfig struct {
	// NATSURL is the NATS server with JetStream ($NATS_URL); empty keeps
	// events in process, for a single server.
	NATSURL string
	// ServerID names this server's durable consumers ($SODAM_SERVER_ID):
	// stable across restarts, different per server. The default is the
	// host name and the listening port.
	ServerID string
	// Prefix starts the subjects and stream names ($SODAM_NATS_PREFIX,
	// "sodam" when empty): deployments sharing a NATS server keep apart.
	Prefix string
}

// busFromEnv reads the bus settings; port is the port serve listens on.
func busFromEnv(getenv func(string) string, port string) busConfig {
	c := busConfig{NATSURL: getenv("NATS_URL"), ServerID: getenv("SODAM_SERVER_ID"), Prefix: getenv("SODAM_NATS_PREFIX")}
	if c.ServerID == "" && c.NATSURL != "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = "sodam"
		}
		c.ServerID = host + "-" + port
	}
	return c
}

// openBus opens the event bus: NATS JetStream when configured, whose
// events wait in the Postgres outbox while NATS is unreachable, else the
// in-process bus. health reports a bus that is down (nil in process).
// pg is the Postgres store, nil on the embedded one.
func openBus(ctx context.Context, cfg busConfig, pg *postgres.Store, a *app) (bus sodam.EventBus, health func(context.Context) error, closeBus func(), err error) {
	if cfg.NATSURL == "" {
		return membus.New(), nil, func() {}, nil
	}
	ncfg := nats.Config{URL: cfg.NATSURL, ServerID: cfg.ServerID, Prefix: cfg.Prefix, Logger: a.Logger}
	if pg != nil {
		ncfg.Outbox = postgres.NewEventOutbox(pg)
	} else {
		a.Logger.Warn("NATS_URL without DATABASE_URL: events published while NATS is down are lost; several servers need the shared Postgres store")
	}
	b, err := nats.Open(ctx, ncfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("event bus: %w", err)
	}
	health = func(ctx context.Context) error {
		err := b.Health(ctx)
		if err == nil {
			return nil
		}
		if n, werr := b.Waiting(ctx); werr == nil && n > 0 {
			return fmt.Errorf("%w (waiting now: %d)", err, n)
		}
		return err
	}
	return b, health, func() { _ = b.Close() }, nil
}
