// Package nats is the event bus for running several servers: a
// sodam.EventBus on NATS JetStream, with an optional outbox that keeps
// events while the broker is unreachable.
//
// Streams and subjects. Each of sodam.EventStreams() is a JetStream stream
// named <PREFIX>_<STREAM> (SODAM_ORDER, SODAM_BOOKING, ...) holding the
// subjects <prefix>.<stream>.>; an event of kind k is published on
// <prefix>.<k>, e.g. sodam.order.changed or sodam.payment.approved. The
// streams are kept on file for MaxAge (24 hours) and drop a second
// publish of an event id within two minutes (the id is the message's
// Nats-Msg-Id). Open creates or updates them, and does so again after
// every reconnect, so a broker restarted without its store gets them
// back.
//
// Consumers. Every server has one durable consumer per stream, named
// from the prefix and its ServerID, so a server that restarts with the
// same id resumes after the last event it acknowledged (events older
// than MaxAge excepted), and the broker forgets the consumers of a
// server gone longer than InactiveThreshold. A new consumer starts with
// the events published from the Subscribe that asked for it, even when
// the broker was reached only later; one the broker lost is made again
// from the last time it was seen working.
//
// Order. A server holds up to MaxAckPending events of a stream at once
// and applies them in lanes by sodam.BusEvent.OrderKey (the user's id,
// else the channel's): one key's events one at a time in publish order,
// different keys' at the same time, so a burst of many users' events is
// not applied one by one. Each event is acknowledged once every handler
// applied it. One a handler fails on is tried again in its lane, after a
// growing delay, before any later event of its key, while other keys go
// on; the broker hears it is in progress meanwhile. Before it consumes,
// a server first applies, read back from the stream in publish order,
// the events its consumer delivered and not all acknowledged (those it
// held when it was killed or closed), so that they come before later
// events of their keys after a restart; those acknowledged out of order
// are applied a second time. Only an event lost in flight while the
// connection was broken comes again after ackWait (10 s), perhaps after
// later events of its key. What a user is told stays in order anyway:
// the merchant side delivers a user's notices in outbox Seq order, each
// delivery sending what still waits before it.
//
// Outbox. Publish never waits on a broker known to be down. When the
// broker is unreachable or a publish fails, the event is kept in the
// Outbox (connectors/postgres's EventOutbox) and Publish returns nil; a
// relay publishes the kept events, oldest first, every RelayEvery and
// right after a reconnect. Several servers may share one outbox: one
// relays it at a time. New events of a server whose kept events still
// wait are kept behind them, so that order holds across an outage.
//
// Guarantees. An event Publish accepted reaches every server's handlers
// at least once, in order per key within its stream, as long as the
// broker keeps it (MaxAge) and the server's consumer lives. Repeats are
// dropped where they can be (the broker's duplicate window, and each
// handler's last 10,000 applied ids), and handlers are written so that
// applying an event twice changes nothing. Health tells whether the bus is connected
// with its streams set up; Waiting tells how many events wait in the
// outbox.
package nats
