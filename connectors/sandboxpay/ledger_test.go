package sandboxpay_test

import (
	"testing"

	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/connectors/sandboxpay/ledgertest"
)

func TestMemoryLedger(t *testing.T) {
	ledgertest.Run(t, func(t *testing.T) (a, b sandboxpay.Ledger) {
		l := sandboxpay.NewMemoryLedger()
		return l, l
	})
}
