package main

import (
	"context"
	"errors"
)

func cmdNLU(ctx context.Context, e env) error {
	return errors.New("nlu: not built yet")
}
