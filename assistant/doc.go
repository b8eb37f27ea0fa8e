// Package assistant is Sodam's dialogue manager. It keeps what each user
// is doing (a cart being filled, a question waiting for an answer, a total
// waiting for a yes), turns each message, as the nlu package reads it,
// into calls of the tools package, and answers in polite Korean with
// cards, lists, quick replies and payment buttons.
//
// It never charges or books on its own: a payment or a booking goes ahead
// only when the user says yes right after the final amount was shown. The
// rules of the service (prices, opening hours, minimum orders, seats,
// refunds) live in the tools; the dialogue only asks, confirms and calls.
package assistant
