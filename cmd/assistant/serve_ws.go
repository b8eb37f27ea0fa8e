package main

import (
	"context"

	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// mountChat mounts the websocket chat and the web chat page on api. It
// returns a function that drains open connections at shutdown.
func mountChat(ctx context.Context, api *httpapi.Server, a *app, baseURL string) (drain func(context.Context), err error) {
	return func(context.Context) {}, nil
}
