package main

import (
	"context"

	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// mountKakao mounts the Kakao i Open Builder skill endpoint on api.
func mountKakao(ctx context.Context, api *httpapi.Server, a *app, getenv func(string) string) error {
	return nil
}
