package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sodam-ai/sodam/connectors/httpapi"
)

// cmdServe serves the chat:
//
//	assistant serve [--addr HOST:PORT] [--database-url URL] [--base-url URL] [--sandbox-redirect]
//
// With no flags it serves the embedded store and the demo catalog on
// :8080. --sandbox-redirect makes the user approve each sandbox payment
// on its page (the payment button) instead of on confirming in chat. It stops on SIGINT/SIGTERM, letting requests in flight finish.
func cmdServe(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dbURL := fs.String("database-url", "", "Postgres URL (default $DATABASE_URL; the embedded store when empty)")
	baseURL := fs.String("base-url", "", "the URL users reach the service at (default http://localhost:PORT)")
	sandboxRedirect := fs.Bool("sandbox-redirect", false, "approve sandbox payments on their page, not on confirming in chat")
	pf := addPlannerFlags(fs)
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: serve: %v", errUsage, err)
	}
	planner, err := pf.resolve(e.getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, nil))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	if *baseURL == "" {
		*baseURL = "http://localhost:" + port
	}

	metrics := httpapi.NewMetrics(nil)
	pay, err := kakaoPayFromEnv(e.getenv, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	emb, err := embedderFromEnv(e.getenv)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	a, err := newApp(ctx, appConfig{DatabaseURL: databaseURL(*dbURL, e.getenv), BaseURL: *baseURL, SandboxRedirect: *sandboxRedirect,
		Pay: pay, Metrics: metrics, Logger: logger, Planner: planner, Embedder: emb, Bus: busFromEnv(e.getenv, port)})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer a.Close()
	go reconcileLoop(ctx, a.Tools, reconcileEvery, logger)

	api := httpapi.NewServer(a.Responder, logger, httpapi.WithMetrics(metrics))
	api.Ready = a.Ready
	api.Degraded = a.BusHealth
	api.Handle("/pay/sandbox/", a.Sandbox.Handler())
	drain, err := mountChat(ctx, api, a, *baseURL, e.getenv)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if _, err := mountMerchant(ctx, api, a, e.getenv); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	drainKakao, err := mountKakao(ctx, api, a, e.getenv)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", *baseURL)
	fmt.Fprintf(e.stdout, "소담이 %s 에서 기다리고 있어요.\n", *baseURL)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Shutdown does not wait for hijacked (websocket) connections: drain
	// them alongside.
	done := make(chan struct{})
	go func() { drain(shutdown); close(done) }()
	err = srv.Shutdown(shutdown)
	<-done
	// Kakao callbacks answer turns already taken; give them the time a
	// callback may take (its window is a minute), not the drain's.
	callbacks, cancelCallbacks := context.WithTimeout(context.Background(), time.Minute)
	defer cancelCallbacks()
	if werr := drainKakao(callbacks); werr != nil {
		logger.Warn("Kakao callbacks did not finish before stopping", "err", werr)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}
