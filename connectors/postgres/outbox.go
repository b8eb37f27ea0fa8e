package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
)

// EventOutbox keeps the events a server could not hand to its event bus
// (migration 0004) until the bus's relay publishes them. It implements
// the outbox of connectors/nats with plain parameters, so that neither
// package imports the other.
//
// Several servers may share one outbox and relay it at the same time:
// one relays while the others skip their turn, so each kept event is
// published by one server, in the order it was kept.
type EventOutbox struct {
	s *Store
}

// NewEventOutbox returns the event outbox of s.
func NewEventOutbox(s *Store) *EventOutbox { return &EventOutbox{s: s} }

// Keep stores an event published on subject as data until it is relayed.
// Keeping an id that is already kept changes nothing.
func (o *EventOutbox) Keep(ctx context.Context, id, subject string, data []byte) error {
	const op = "postgres.EventOutbox.Keep"
	if id == "" || subject == "" {
		return &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "이벤트 id와 주제가 필요해요."}
	}
	_, err := o.s.pool.Exec(ctx, `INSERT INTO event_outbox (id, subject, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, id, subject, data)
	return wrap(op, err)
}

// Relay hands up to limit kept events, oldest first, to publish and
// deletes those it published. It stops at the first event publish fails
// on, which stays kept with all those after it, and returns how many
// were relayed with publish's error.
//
// The events are locked (FOR UPDATE SKIP LOCKED) for the transaction
// publish runs in, and only one caller relays a schema's outbox at a
// time (a transaction-scoped advisory lock): a second concurrent call
// relays nothing rather than publishing later events before earlier
// ones. An event published just before a failed commit stays kept and
// is published again; the bus drops the repeat by its id.
func (o *EventOutbox) Relay(ctx context.Context, limit int, publish func(id, subject string, data []byte) error) (int, error) {
	const op = "postgres.EventOutbox.Relay"
	if limit <= 0 {
		return 0, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "한 번에 보낼 이벤트 수는 1 이상이어야 해요."}
	}
	type kept struct {
		id, subject string
		data        []byte
	}
	var (
		relayed int
		pubErr  error
	)
	err := pgx.BeginFunc(ctx, o.s.pool, func(tx pgx.Tx) error {
		relayed, pubErr = 0, nil
		var mine bool
		err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.event_outbox'))`).Scan(&mine)
		if err != nil || !mine {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, subject, data FROM event_outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return err
		}
		events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (kept, error) {
			var k kept
			err := row.Scan(&k.id, &k.subject, &k.data)
			return k, err
		})
		if err != nil {
			return err
		}
		done := make([]string, 0, len(events))
		for _, k := range events {
			if err := publish(k.id, k.subject, k.data); err != nil {
				pubErr = fmt.Errorf("%s: publish event %s: %w", op, k.id, err)
				break
			}
			done = append(done, k.id)
		}
		if len(done) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_outbox WHERE id = ANY($1)`, done); err != nil {
			return err
		}
		relayed = len(done)
		return nil
	})
	if err != nil {
		return 0, wrap(op, err)
	}
	return relayed, pubErr
}

// Waiting counts the kept events.
func (o *EventOutbox) Waiting(ctx context.Context) (int, error) {
	const op = "postgres.EventOutbox.Waiting"
	var n int
	err := o.s.pool.QueryRow(ctx, `SELECT count(*) FROM event_outbox`).Scan(&n)
	if err != nil {
		return 0, wrap(op, err)
	}
	return n, nil
}
