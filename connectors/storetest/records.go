package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/sodam-ai/sodam"
)

func complaint(userID string, typ sodam.ComplaintType, created int) *sodam.Complaint {
	return &sodam.Complaint{
		UserID: userID, OrderID: "o-1", MerchantID: "m-001", Type: typ,
		Text: "치킨이 다 식어서 왔어요", Status: sodam.ComplaintOpen, CreatedAt: at(created),
	}
}

func testComplaints(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("CreateGetUpdate", func(t *testing.T) {
		s := parallel(t, newStore)
		c := complaint("u-1", sodam.ComplaintCold, 0)
		must(t, s.CreateComplaint(ctx, c))
		if c.ID == "" {
			t.Fatal("CreateComplaint assigned no id")
		}
		want := complaint("u-1", sodam.ComplaintCold, 0)
		want.ID = c.ID
		got, err := s.Complaint(ctx, c.ID)
		must(t, err)
		same(t, "complaint", want, got)

		errStop := errors.New("stop")
		_, err = s.UpdateComplaint(ctx, c.ID, func(c *sodam.Complaint) error {
			c.Status = sodam.ComplaintResolved
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Errorf("UpdateComplaint returned %v, want fn's error", err)
		}
		got, err = s.Complaint(ctx, c.ID)
		must(t, err)
		same(t, "complaint after failed update", want, got)

		want.Status, want.Reply = sodam.ComplaintResolved, "죄송해요. 다음 주문에 쓸 수 있는 쿠폰을 드렸어요."
		got, err = s.UpdateComplaint(ctx, c.ID, func(c *sodam.Complaint) error {
			c.Status, c.Reply = want.Status, want.Reply
			return nil
		})
		must(t, err)
		same(t, "returned complaint", want, got)
		got.Reply = "바뀜"
		got, err = s.Complaint(ctx, c.ID)
		must(t, err)
		same(t, "stored complaint", want, got)
	})

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := parallel(t, newStore)
		_, err := s.Complaint(ctx, "c-none")
		wantCode(t, "Complaint", err, sodam.ENOTFOUND)
		_, err = s.UpdateComplaint(ctx, "c-none", func(*sodam.Complaint) error { return nil })
		wantCode(t, "UpdateComplaint", err, sodam.ENOTFOUND)
	})

	t.Run("ByUserOldestFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		var made []string
		for _, sp := range []struct {
			user    string
			created int
		}{{"u-1", 20}, {"u-1", 5}, {"u-2", 0}, {"u-1", 10}} {
			c := complaint(sp.user, sodam.ComplaintLate, sp.created)
			must(t, s.CreateComplaint(ctx, c))
			made = append(made, c.ID)
		}
		for _, tc := range []struct {
			user string
			want []string
		}{{"u-1", []string{made[1], made[3], made[0]}}, {"u-2", []string{made[2]}}, {"u-none", nil}} {
			cs, err := s.ComplaintsByUser(ctx, tc.user)
			must(t, err)
			same(t, "ComplaintsByUser("+tc.user+")", tc.want, ids(cs, func(c *sodam.Complaint) string { return c.ID }))
		}
	})
}

func testAuditLog(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("RecordThenListOldestFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		calls := []*sodam.ToolCall{
			{UserID: "u-1", Tool: "search_merchants", Args: []byte(`{"category":"치킨"}`), Result: []byte(`{"count":3}`), Duration: 1500, At: at(2)},
			{UserID: "u-2", Tool: "menu", Args: []byte(`{"merchant_id":"m-001"}`), Result: []byte(`null`), Error: "not_found", At: at(1)},
			{UserID: "u-1", Tool: "add_to_cart", Args: []byte(`{"items":[{"name":"후라이드","quantity":1}]}`), Result: []byte(`{"total":21000}`), Duration: 800, At: at(1)},
		}
		for _, c := range calls {
			must(t, s.RecordToolCall(ctx, c))
			if c.ID == "" {
				t.Fatalf("RecordToolCall assigned no id to %s", c.Tool)
			}
		}
		for _, tc := range []struct {
			user string
			want []*sodam.ToolCall
		}{{"u-1", []*sodam.ToolCall{calls[2], calls[0]}}, {"u-2", []*sodam.ToolCall{calls[1]}}, {"u-none", nil}} {
			got, err := s.ToolCalls(ctx, tc.user)
			must(t, err)
			if len(got) != len(tc.want) {
				t.Errorf("ToolCalls(%s): %d calls, want %d", tc.user, len(got), len(tc.want))
				continue
			}
			for k, w := range tc.want {
				g := got[k]
				sameJSON(t, "args of "+w.Tool, w.Args, g.Args)
				sameJSON(t, "result of "+w.Tool, w.Result, g.Result)
				gc, wc := *g, *w
				gc.Args, gc.Result, wc.Args, wc.Result = nil, nil, nil, nil
				same(t, "tool call "+w.Tool, &wc, &gc)
			}
		}
		calls[0].Args[2] = 'X'
		got, err := s.ToolCalls(ctx, "u-1")
		must(t, err)
		got[1].Args[2] = 'Y'
		got, err = s.ToolCalls(ctx, "u-1")
		must(t, err)
		sameJSON(t, "args after changing copies", []byte(`{"category":"치킨"}`), got[1].Args)
	})
}

func testDialogue(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("SaveLoadReplace", func(t *testing.T) {
		s := parallel(t, newStore)
		_, err := s.LoadDialogue(ctx, "u-1")
		wantCode(t, "LoadDialogue before any save", err, sodam.ENOTFOUND)

		first := []byte(`{"stage":"cart","cart":{"items":[{"id":"i-001","quantity":1}]}}`)
		must(t, s.SaveDialogue(ctx, "u-1", first))
		got, err := s.LoadDialogue(ctx, "u-1")
		must(t, err)
		sameJSON(t, "state", first, got)

		second := []byte(`{"stage":"confirm","amount":21000}`)
		must(t, s.SaveDialogue(ctx, "u-1", second))
		got, err = s.LoadDialogue(ctx, "u-1")
		must(t, err)
		sameJSON(t, "replaced state", second, got)

		_, err = s.LoadDialogue(ctx, "u-2")
		wantCode(t, "LoadDialogue of another user", err, sodam.ENOTFOUND)
	})

	t.Run("CopiesNotAliases", func(t *testing.T) {
		s := parallel(t, newStore)
		state := []byte(`{"stage":"cart"}`)
		must(t, s.SaveDialogue(ctx, "u-1", state))
		copy(state, `{"stage":"XXXX"}`)
		got, err := s.LoadDialogue(ctx, "u-1")
		must(t, err)
		for k := range got {
			got[k] = ' '
		}
		got, err = s.LoadDialogue(ctx, "u-1")
		must(t, err)
		sameJSON(t, "state", []byte(`{"stage":"cart"}`), got)
	})
}
