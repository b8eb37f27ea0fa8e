package postgres_test

import (
	"context"
	"testing"

	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/connectors/sandboxpay/ledgertest"
)

// Two stores on one schema are two servers on one database: each has its
// own pool, and the providers on their ledgers are one gateway.
func TestSandboxLedger(t *testing.T) {
	ledgertest.Run(t, func(t *testing.T) (a, b sandboxpay.Ledger) {
		url, schema := pgtest.Schema(t, "sandbox")
		var ledgers [2]sandboxpay.Ledger
		for k := range ledgers {
			s, err := postgres.Open(context.Background(), postgres.Config{URL: url, Schema: schema, MaxConns: 8})
			if err != nil {
				t.Fatalf("open PostgreSQL: %v", err)
			}
			t.Cleanup(s.Close) // before the schema is dropped
			ledgers[k] = postgres.NewSandboxLedger(s)
		}
		return ledgers[0], ledgers[1]
	})
}
