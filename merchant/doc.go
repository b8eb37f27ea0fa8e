// Package merchant is the merchant side of Sodam: what stores and event
// channels do with the orders, complaints and questions of their users.
//
// A channel owner (a store, whose channel id is its merchant id, or the
// owner of an event channel) signs in with an API key kept only as its
// SHA-256. Every call names the account and sees and changes only that
// channel's records; another channel's record is ENOTFOUND, as if it did
// not exist.
//
// Stores work through their inbox: a paid order is accepted or rejected
// (a rejection refunds the payment at once, exactly once), then moves one
// step at a time: accepted, cooking (조리중), delivering (배달중),
// delivered (배달완료). Each change is told to the customer's chat at once
// through a Notifier; a customer who is not connected gets it, with
// everything else waiting, in order and once, on the next connection
// (Service.Connected). Complaints get replies, questions forwarded from
// the chat get answers, menus are edited, broadcasts reach subscribers,
// and each day settles into gross sales, refunds, commission and payout
// that reconcile with the payments ledger.
package merchant
