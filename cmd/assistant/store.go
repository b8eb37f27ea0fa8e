package main

import (
	"context"
	"errors"

	"github.com/sodam-ai/sodam"
)

// openStore opens the store at a database URL. It returns the store and a
// function that closes it.
func openStore(ctx context.Context, url string) (sodam.Store, func(), error) {
	return nil, nil, errors.New("DATABASE_URL given but the Postgres store is not built into this binary")
}
