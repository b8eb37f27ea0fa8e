package main

import (
	"context"
	"errors"
)

func cmdMigrate(ctx context.Context, e env) error {
	return errors.New("migrate: not built yet")
}
