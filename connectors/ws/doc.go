// Package ws serves the chat over websockets: the JSON protocol of
// docs/protocol.md on top of gorilla/websocket.
//
// A client opens /ws and says hello, with the session token it was given
// before or none; the server answers welcome with the user id and a
// renewed token. Then each user_message gets an assistant_message (or an
// error) that carries the assistant's rich response, preceded by a typing
// indicator; the server may push events (payment approved, order status)
// to all of a user's connections at any time through Server.Push.
//
// The server is built to hold many idle connections cheaply: one reader
// goroutine per connection that runs after the HTTP handler has returned
// (so net/http frees its buffers), 1 KiB read buffers, pooled write
// buffers, and no writer goroutine while nothing is to be sent: a
// connection's bounded send queue is drained by a short-lived goroutine
// started when the queue goes non-empty. Keepalive pings come from a
// timer, not a goroutine.
package ws
