// Package catalog reads, checks and loads catalog files: the merchants,
// menu items, events and sessions that Sodam sells.
//
// A catalog file holds one record a line, told apart by its "kind": JSON
// Lines (one object a line, see contracts section 3) or CSV (a header row
// naming the columns, see csv.md in this directory). A Reader streams the
// records one at a time in constant memory and checks each on its own:
// required fields present, types, ranges, clock times and RFC 3339 dates.
// An Ingester adds the checks that need context — a menu item's merchant
// and a session's event must be defined earlier in the file or exist in
// the target store — and upserts every good record by id, so that
// loading the same file twice changes nothing. A bad line is reported
// with its line number and skipped; the rest is still loaded.
package catalog
