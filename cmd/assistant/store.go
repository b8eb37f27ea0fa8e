package main

import (
	"context"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
)

// openStore opens the Postgres store at url, applying pending migrations.
// It returns the store and a function that closes it. A database that
// cannot be reached is a clear error, not a hang: the attempt is bounded.
func openStore(ctx context.Context, url string) (*postgres.Store, func(), error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		return nil, nil, err
	}
	return st, st.Close, nil
}

// databaseURL is --database-url when given, else $DATABASE_URL.
func databaseURL(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	return getenv("DATABASE_URL")
}

var _ sodam.Store = (*postgres.Store)(nil)
