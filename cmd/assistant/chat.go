package main

import (
	"context"
	"errors"
)

func cmdChat(ctx context.Context, e env) error {
	return errors.New("chat: not built yet")
}
