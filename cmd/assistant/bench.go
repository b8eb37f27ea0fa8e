package main

import (
	"context"
	"errors"
)

func cmdBench(ctx context.Context, e env) error {
	return errors.New("bench: not built yet")
}
