package main

import (
	"context"
	"errors"
)

func cmdIngest(ctx context.Context, e env) error {
	return errors.New("ingest: not built yet")
}
