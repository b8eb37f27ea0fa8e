package catalog

import (
	"fmt"

	"github.com/sodam-ai/sodam"
)

// The kinds of catalog records, as the "kind" field names them.
const (
	KindMerchant = "merchant"
	KindMenuItem = "menu_item"
	KindEvent    = "event"
	KindSession  = "session"
)

// Kinds lists the record kinds in the order a file usually defines them.
var Kinds = []string{KindMerchant, KindMenuItem, KindEvent, KindSession}

// Record is one line of a catalog file. Kind names the one field that is
// set.
type Record struct {
	Kind     string
	Merchant *sodam.Merchant
	MenuItem *sodam.MenuItem
	Event    *sodam.Event
	Session  *sodam.Session
}

// ID returns the id of the record's payload, or "" when none is set.
func (r Record) ID() string {
	switch {
	case r.Merchant != nil:
		return r.Merchant.ID
	case r.MenuItem != nil:
		return r.MenuItem.ID
	case r.Event != nil:
		return r.Event.ID
	case r.Session != nil:
		return r.Session.ID
	}
	return ""
}

// LineError reports a bad line: its number (1-based, counting every
// physical line of the file including blank ones and, for CSV, the
// header), the kind and id when they could be read, and the cause.
type LineError struct {
	Line int
	Kind string
	ID   string
	Err  error
}

// Error formats e as "line 12: menu_item i-9: price must be >= 0".
func (e *LineError) Error() string {
	switch {
	case e.Kind != "" && e.ID != "":
		return fmt.Sprintf("line %d: %s %s: %v", e.Line, e.Kind, e.ID, e.Err)
	case e.Kind != "":
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Kind, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }
