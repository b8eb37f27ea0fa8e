package main

import (
	"context"
	"errors"
)

func cmdExtract(ctx context.Context, e env) error {
	return errors.New("extract: not built yet")
}
