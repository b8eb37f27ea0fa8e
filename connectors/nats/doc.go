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
// from the last time it was seen working. Events are acknowledged one at
// a time: within a stream every server applies them in publish order,
// and one a handler fails on is delivered again, after a short delay,
// before any later one.
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
// at least once, in order within its stream, as long as the broker keeps
// it (MaxAge) and the server's consumer lives. Repeats are dropped where
// they can be (the broker's duplicate window, and each handler's last
// 10,000 applied ids), and handlers are written so that applying an
// event twice changes nothing. Health tells whether the bus is connected
// with its streams set up; Waiting tells how many events wait in the
// outbox.
package nats
