-- 0003: the merchant side: accounts, order steps, inquiries, broadcasts
-- and the users' outboxes of notices, plus the indexes that list the
-- store's records by channel.

-- The API key is never stored: key_hash is its SHA-256, compared in
-- constant time by the service.
CREATE TABLE merchant_accounts (
    channel_id text PRIMARY KEY,
    key_hash   bytea,
    doc        jsonb NOT NULL
);

CREATE SEQUENCE order_step_ids;
CREATE TABLE order_steps (
    id       text PRIMARY KEY,
    order_id text NOT NULL,
    at       timestamptz NOT NULL,
    doc      jsonb NOT NULL
);
CREATE INDEX order_steps_order ON order_steps (order_id, at, id);

CREATE SEQUENCE inquiry_ids;
CREATE TABLE inquiries (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    channel_id text NOT NULL,
    created_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX inquiries_channel ON inquiries (channel_id, created_at, id);

CREATE SEQUENCE broadcast_ids;
CREATE TABLE broadcasts (
    id         text PRIMARY KEY,
    channel_id text NOT NULL,
    created_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX broadcasts_channel ON broadcasts (channel_id, created_at, id);

-- A notice waits here only while its user is not connected. seq comes
-- from one sequence: increasing for every user, which is all the order
-- of delivery needs; the primary key serves Pending and Ack.
CREATE TABLE notices (
    user_id text NOT NULL,
    seq     bigint GENERATED ALWAYS AS IDENTITY,
    doc     jsonb NOT NULL,
    PRIMARY KEY (user_id, seq)
);

-- The inbox lists a store's orders, its complaints and an event's
-- bookings; broadcasts list a channel's subscribers.
CREATE INDEX orders_merchant ON orders ((doc->>'merchant_id'), created_at, id);
CREATE INDEX complaints_channel ON complaints ((doc->>'merchant_id'), created_at, id);
CREATE INDEX bookings_event ON bookings ((doc->>'event_id'), created_at, id);
CREATE INDEX subscriptions_channel ON subscriptions (channel_id, user_id);
