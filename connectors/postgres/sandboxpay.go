package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
)

// SandboxLedger keeps the sandbox payment provider's payments in the
// store's database (migration 0005): the servers sharing the database
// share its books, so that a payment readied through one server is
// approved, refunded and looked up through any other. It implements
// sandboxpay.Ledger.
//
// Update serialises the calls for one partner order across servers with
// a transaction-scoped advisory lock on the order and locks the order's
// rows (SELECT ... FOR UPDATE) for the transaction, so a payment is never
// charged or refunded twice and an order is charged once.
type SandboxLedger struct {
	s *Store
}

var _ sandboxpay.Ledger = (*SandboxLedger)(nil)

// NewSandboxLedger returns the sandbox ledger of s.
func NewSandboxLedger(s *Store) *SandboxLedger { return &SandboxLedger{s: s} }

// Get returns payment tid; an unknown tid is ENOTFOUND.
func (l *SandboxLedger) Get(ctx context.Context, tid string) (*sandboxpay.Record, error) {
	const op = "postgres.SandboxLedger.Get"
	var doc []byte
	err := l.s.pool.QueryRow(ctx, `SELECT doc FROM sandbox_payments WHERE tid = $1`, tid).Scan(&doc)
	if err == pgx.ErrNoRows {
		return nil, notFound(op, "결제", tid)
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	rec := new(sandboxpay.Record)
	if err := json.Unmarshal(doc, rec); err != nil {
		return nil, wrap(op, fmt.Errorf("payment %s: %w", tid, err))
	}
	return rec, nil
}

// Update runs fn with the order's payments, oldest first, in one
// transaction holding the order's lock, and writes the payments fn
// changed and the one it added before committing. An error from fn rolls
// everything back and is returned as it is.
func (l *SandboxLedger) Update(ctx context.Context, orderID string, fn func(payments []*sandboxpay.Record) (*sandboxpay.Record, error)) error {
	const op = "postgres.SandboxLedger.Update"
	var fnErr error
	err := pgx.BeginFunc(ctx, l.s.pool, func(tx pgx.Tx) error {
		// The advisory lock covers an order with no payment yet, which
		// has no row to lock: two first Readys of one order wait for
		// each other too.
		_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.sandbox_payments'), hashtext($1))`, orderID)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT tid, doc FROM sandbox_payments WHERE partner_order_id = $1 ORDER BY seq FOR UPDATE`, orderID)
		if err != nil {
			return err
		}
		type kept struct {
			tid string
			doc []byte
		}
		stored, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (kept, error) {
			var k kept
			err := row.Scan(&k.tid, &k.doc)
			return k, err
		})
		if err != nil {
			return err
		}
		pays := make([]*sandboxpay.Record, len(stored))
		before := make([][]byte, len(stored))
		for k, st := range stored {
			rec := new(sandboxpay.Record)
			if err := json.Unmarshal(st.doc, rec); err != nil {
				return fmt.Errorf("payment %s: %w", st.tid, err)
			}
			// Compared with what fn leaves, marshalled the same way.
			if before[k], err = json.Marshal(rec); err != nil {
				return err
			}
			pays[k] = rec
		}

		added, err := fn(pays)
		if err != nil {
			fnErr = err
			return err
		}

		for k, rec := range pays {
			doc, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			if bytes.Equal(doc, before[k]) {
				continue
			}
			if rec.TID() != stored[k].tid || rec.Request.PartnerOrderID != orderID {
				return &sodam.Error{Code: sodam.EINVALID, Op: op, Err: fmt.Errorf("payment %s changed its TID or order", stored[k].tid)}
			}
			status, approved, charged, cancelled, refunds := sandboxColumns(rec)
			_, err = tx.Exec(ctx, `UPDATE sandbox_payments
				SET status = $2, approved = $3, charged = $4, cancelled = $5, refunds = $6, doc = $7, updated_at = clock_timestamp()
				WHERE tid = $1`, stored[k].tid, status, approved, charged, cancelled, refunds, doc)
			if err != nil {
				return err
			}
		}
		if added == nil {
			return nil
		}
		if added.TID() == "" || added.Request.PartnerOrderID != orderID {
			return &sodam.Error{Code: sodam.EINVALID, Op: op, Err: fmt.Errorf("new payment %q is not of order %q", added.TID(), orderID)}
		}
		doc, err := json.Marshal(added)
		if err != nil {
			return err
		}
		status, approved, charged, cancelled, refunds := sandboxColumns(added)
		_, err = tx.Exec(ctx, `INSERT INTO sandbox_payments (tid, partner_order_id, status, approved, charged, cancelled, refunds, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, added.TID(), orderID, status, approved, charged, cancelled, refunds, doc)
		return err
	})
	if fnErr != nil {
		return fnErr
	}
	return wrap(op, err)
}

// Totals counts the charges and refunds of every payment kept.
func (l *SandboxLedger) Totals(ctx context.Context) (sandboxpay.Totals, error) {
	const op = "postgres.SandboxLedger.Totals"
	var t sandboxpay.Totals
	err := l.s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE approved), coalesce(sum(charged), 0)::bigint,
		coalesce(sum(refunds), 0)::bigint, coalesce(sum(cancelled), 0)::bigint FROM sandbox_payments`).
		Scan(&t.Charges, &t.Charged, &t.Refunds, &t.Refunded)
	if err != nil {
		return sandboxpay.Totals{}, wrap(op, err)
	}
	return t, nil
}

// sandboxColumns returns what the columns beside doc hold of rec.
func sandboxColumns(rec *sandboxpay.Record) (status string, approved bool, charged, cancelled int64, refunds int) {
	if rec.Approval != nil {
		approved, charged = true, rec.Approval.Amount
	}
	return rec.Status, approved, charged, rec.Cancelled, rec.Refunds
}
