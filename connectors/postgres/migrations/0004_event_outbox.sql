-- 0004: the outbox of events that could not reach the event bus (NATS
-- down or slow). The bus keeps an event here and its relay publishes the
-- kept events, oldest first, once the broker answers again; an event is
-- deleted once published.

-- id is the event's id: keeping one event twice changes nothing. seq
-- gives the order of keeping (the order events are relayed in); kept_at
-- tells how long an event has waited.
CREATE TABLE event_outbox (
    id      text PRIMARY KEY,
    seq     bigint GENERATED ALWAYS AS IDENTITY,
    subject text NOT NULL,
    data    bytea NOT NULL,
    kept_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX event_outbox_oldest ON event_outbox (seq);
