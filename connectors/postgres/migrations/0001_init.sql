-- 0001: the whole schema of Sodam's store.
--
-- Records are kept as JSONB documents in the shape of the domain types,
-- with the columns that queries filter, join, lock or sort on pulled out
-- beside them. Seat inventory is the one exception: the seats table is the
-- source of truth for what is left, so that a hold is a single guarded
-- UPDATE (available >= n) that can never oversell.

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE merchants (
    id          text PRIMARY KEY,
    doc         jsonb NOT NULL,
    category    text NOT NULL,
    lat         double precision NOT NULL,
    lng         double precision NOT NULL,
    search_text text NOT NULL,
    embedding   vector NOT NULL
);

CREATE TABLE menu_items (
    id          text PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES merchants(id),
    doc         jsonb NOT NULL,
    search_text text NOT NULL,
    embedding   vector NOT NULL
);
CREATE INDEX menu_items_merchant ON menu_items (merchant_id, id);

CREATE TABLE events (
    id          text PRIMARY KEY,
    doc         jsonb NOT NULL,
    category    text NOT NULL,
    search_text text NOT NULL,
    embedding   vector NOT NULL
);

CREATE TABLE sessions (
    id        text PRIMARY KEY,
    event_id  text NOT NULL REFERENCES events(id),
    starts_at timestamptz NOT NULL
);
CREATE INDEX sessions_event ON sessions (event_id, starts_at, id);

CREATE TABLE seats (
    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    grade      text NOT NULL,
    price      bigint NOT NULL CHECK (price >= 0),
    available  integer NOT NULL CHECK (available >= 0),
    PRIMARY KEY (session_id, grade)
);

CREATE TABLE users (
    id  text PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE subscriptions (
    user_id    text NOT NULL REFERENCES users(id),
    channel_id text NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);

-- One sequence per kind of user record gives readable, ordered ids
-- (o-000001) without a round trip to read a counter.
CREATE SEQUENCE order_ids;
CREATE SEQUENCE booking_ids;
CREATE SEQUENCE payment_ids;
CREATE SEQUENCE complaint_ids;
CREATE SEQUENCE tool_call_ids;

CREATE TABLE orders (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    status     text NOT NULL,
    created_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX orders_user ON orders (user_id, created_at, id);

CREATE TABLE bookings (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    session_id text NOT NULL REFERENCES sessions(id),
    grade      text NOT NULL,
    count      integer NOT NULL CHECK (count > 0),
    status     text NOT NULL,
    held_until timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX bookings_user ON bookings (user_id, created_at, id);
-- ExpireHolds scans only the held bookings.
CREATE INDEX bookings_held ON bookings (held_until) WHERE status = 'held';

CREATE TABLE payments (
    id              text PRIMARY KEY,
    user_id         text NOT NULL,
    -- The idempotency key is what makes a retried pay find the first
    -- payment instead of charging again.
    idempotency_key text NOT NULL UNIQUE,
    status          text NOT NULL,
    created_at      timestamptz NOT NULL,
    doc             jsonb NOT NULL
);
CREATE INDEX payments_user ON payments (user_id, created_at, id);
CREATE INDEX payments_status ON payments (status, created_at, id);

CREATE TABLE complaints (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    created_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX complaints_user ON complaints (user_id, created_at, id);

CREATE TABLE tool_calls (
    id      text PRIMARY KEY,
    user_id text NOT NULL,
    at      timestamptz NOT NULL,
    doc     jsonb NOT NULL
);
CREATE INDEX tool_calls_user ON tool_calls (user_id, at, id);

CREATE TABLE dialogues (
    user_id    text PRIMARY KEY,
    state      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
