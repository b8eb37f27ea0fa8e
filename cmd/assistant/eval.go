package main

import (
	"context"
	"errors"
)

func cmdEval(ctx context.Context, e env) error {
	return errors.New("eval: not built yet")
}
