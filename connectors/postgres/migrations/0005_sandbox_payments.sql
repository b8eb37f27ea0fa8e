-- 0005: the books of the sandbox payment provider, so that the servers
-- sharing this database act as one gateway: a payment readied through one
-- server is approved, refunded and looked up through any other.

-- doc is the payment (sandboxpay.Record) as JSON; the columns beside it
-- are copied from it on every write, for the lookups and the totals. seq
-- orders an order's payments oldest first. approved is set once the
-- payment charged, charged being the sum; refunds counts the
-- cancellations that refunded, cancelled their sum.
CREATE TABLE sandbox_payments (
    tid              text PRIMARY KEY,
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    partner_order_id text NOT NULL,
    status           text NOT NULL,
    approved         boolean NOT NULL,
    charged          bigint NOT NULL,
    cancelled        bigint NOT NULL,
    refunds          integer NOT NULL,
    doc              jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sandbox_payments_order ON sandbox_payments (partner_order_id, seq);
