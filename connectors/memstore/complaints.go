package memstore

import (
	"context"

	"github.com/sodam-ai/sodam"
)

// CreateComplaint stores a new complaint, assigning an ID ("c-000001")
// when empty, the status open when empty and CreatedAt from the clock
// when zero, and writes them back to c. A complaint without a user is
// EINVALID; an id in use is ECONFLICT.
func (s *Store) CreateComplaint(ctx context.Context, c *sodam.Complaint) error {
	const op = "memstore.CreateComplaint"
	if c.UserID == "" {
		return invalid(op, "문의에 사용자 id가 필요해요.")
	}
	v := cloneComplaint(c)
	if v.Status == "" {
		v.Status = sodam.ComplaintOpen
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = s.clock.Now()
	}
	if _, err := s.complaints.insert(op, c.ID, c.UserID, v, func(id string) { v.ID = id }); err != nil {
		return err
	}
	c.ID, c.Status, c.CreatedAt = v.ID, v.Status, v.CreatedAt
	return nil
}

// Complaint returns a complaint by id.
func (s *Store) Complaint(ctx context.Context, id string) (*sodam.Complaint, error) {
	return s.complaints.read("memstore.Complaint", id, cloneComplaint)
}

// UpdateComplaint runs fn on a copy of the complaint under its own lock
// and stores the copy when fn succeeds; when fn fails nothing is written.
// fn must not call the store. Changing the id or the user is EINVALID.
func (s *Store) UpdateComplaint(ctx context.Context, id string, fn func(*sodam.Complaint) error) (*sodam.Complaint, error) {
	const op = "memstore.UpdateComplaint"
	return s.complaints.update(op, id, cloneComplaint, fn, func(old, new *sodam.Complaint) error {
		return keepIdentity(op, old.ID, new.ID, old.UserID, new.UserID)
	})
}

// ComplaintsByUser lists a user's complaints, oldest first (CreatedAt,
// then id).
func (s *Store) ComplaintsByUser(ctx context.Context, userID string) ([]*sodam.Complaint, error) {
	return s.complaints.listUser(userID, cloneComplaint, func(a, b *sodam.Complaint) int {
		return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
	}), nil
}

// RecordToolCall appends a tool call to the audit log, assigning an ID
// ("tc-000001") when empty and At from the clock when zero, and writes
// them back to c. An id in use is ECONFLICT.
func (s *Store) RecordToolCall(ctx context.Context, c *sodam.ToolCall) error {
	const op = "memstore.RecordToolCall"
	v := cloneToolCall(c)
	if v.At.IsZero() {
		v.At = s.clock.Now()
	}
	if _, err := s.toolCalls.insert(op, c.ID, c.UserID, v, func(id string) { v.ID = id }); err != nil {
		return err
	}
	c.ID, c.At = v.ID, v.At
	return nil
}

// ToolCalls lists a user's tool calls, oldest first (At, then id).
func (s *Store) ToolCalls(ctx context.Context, userID string) ([]*sodam.ToolCall, error) {
	return s.toolCalls.listUser(userID, cloneToolCall, func(a, b *sodam.ToolCall) int {
		return oldestFirst(a.At, b.At, a.ID, b.ID)
	}), nil
}
