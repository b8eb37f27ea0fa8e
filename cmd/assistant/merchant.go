package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/tools"
)

// cmdMerchant manages merchant accounts:
//
//	assistant merchant key --merchant ID [--database-url URL]
//	assistant merchant commission --merchant ID --bp N [--database-url URL]
//
// key issues a new API key for a store or an event channel and prints it
// once; the previous key stops working. commission sets the channel's
// commission in basis points (1000 = 10%; -1 goes back to the default).
func cmdMerchant(ctx context.Context, e env) error {
	if len(e.args) == 0 || (e.args[0] != "key" && e.args[0] != "commission") {
		return fmt.Errorf("%w: merchant: key or commission is required", errUsage)
	}
	sub := e.args[0]
	fs := flag.NewFlagSet("merchant "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	id := fs.String("merchant", "", "the merchant id or event channel id")
	dbURL := fs.String("database-url", "", "Postgres URL (default $DATABASE_URL)")
	bp := fs.Int("bp", 0, "commission in basis points (commission only)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return fmt.Errorf("%w: merchant: %v", errUsage, err)
	}
	if *id == "" {
		return fmt.Errorf("%w: merchant %s: --merchant is required", errUsage, sub)
	}
	svc, closeStore, err := openMerchant(ctx, databaseURL(*dbURL, e.getenv))
	if err != nil {
		return fmt.Errorf("merchant %s: %w", sub, err)
	}
	defer closeStore()
	switch sub {
	case "key":
		key, acct, err := svc.IssueKey(ctx, *id)
		if err != nil {
			return fmt.Errorf("merchant key: %w", err)
		}
		fmt.Fprintf(e.stderr, "%s (%s)의 새 API 키예요. 지금 한 번만 보여 드려요. 이전 키는 더 이상 쓸 수 없어요.\n", acct.Name, acct.ChannelID)
		fmt.Fprintln(e.stdout, key)
	case "commission":
		acct, err := svc.SetCommission(ctx, *id, *bp)
		if err != nil {
			return fmt.Errorf("merchant commission: %w", err)
		}
		if acct.CommissionBP == nil {
			fmt.Fprintf(e.stdout, "%s: 기본 수수료를 적용해요.\n", acct.ChannelID)
		} else {
			fmt.Fprintf(e.stdout, "%s: 수수료 %d bp\n", acct.ChannelID, *acct.CommissionBP)
		}
	}
	return nil
}

// openMerchant opens the merchant side over the database. The embedded
// store lives only inside a running server, so a database is required.
func openMerchant(ctx context.Context, url string) (*merchant.Service, func(), error) {
	if url == "" {
		return nil, nil, errors.New("a database is required (--database-url or $DATABASE_URL); on the embedded store, serve issues keys for $SODAM_MERCHANT_CHANNELS")
	}
	st, closeStore, err := openStore(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	tb := tools.New(st, st, sandboxpay.New("", nil), nil)
	a := &app{Store: st, Tools: tb}
	svc, err := newMerchant(a, nil, func(string) string { return "" })
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	return svc, closeStore, nil
}
