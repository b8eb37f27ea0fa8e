package main

import (
	"context"
	"errors"
)

func cmdServe(ctx context.Context, e env) error {
	return errors.New("serve: not built yet")
}
