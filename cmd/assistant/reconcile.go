package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/sodam-ai/sodam/tools"
)

// reconcileEvery is how often serve settles payments whose outcome a
// provider timeout or failure left unknown.
const reconcileEvery = time.Minute

// reconcileLoop runs tb.Reconcile every period until ctx ends, logging
// what each pass changed.
func reconcileLoop(ctx context.Context, tb *tools.Toolbox, period time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		rep, err := tb.Reconcile(ctx, tools.ReconcileOptions{})
		switch {
		case err != nil:
			logger.Error("reconcile payments", "err", err)
		case rep.Changed() || rep.Errors > 0:
			logger.Info("reconciled payments", "checked", rep.Checked, "approved", rep.Approved, "refunded", rep.Refunded,
				"failed", rep.Failed, "cancelled", rep.Cancelled, "pending", rep.Pending, "errors", rep.Errors)
		}
	}
}
