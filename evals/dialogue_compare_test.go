package evals

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompareState(t *testing.T) {
	paid := StateOrder{MerchantID: "m-001", Status: "paid", Total: 19200,
		Items: []StateLine{{MenuItemID: "i-001-01", Quantity: 1, Options: []string{}}}}
	tests := []struct {
		name     string
		expect   string
		got      EndState
		wantDiff string // a substring of the diff; "" for a pass
	}{
		{"match", `{"orders":[{"merchant_id":"m-001","status":"paid","total":19200,"items":[{"menu_item_id":"i-001-01","quantity":1}]}]}`,
			EndState{Orders: []StateOrder{paid}}, ""},
		{"wrong total", `{"orders":[{"total":19000}]}`, EndState{Orders: []StateOrder{paid}}, "orders: expected"},
		{"kind left out is not checked", `{}`, EndState{Orders: []StateOrder{paid}}, ""},
		{"empty list means none", `{"orders":[]}`, EndState{Orders: []StateOrder{paid}}, "orders: 1 unexpected"},
		{"extra record", `{"orders":[{"status":"paid"}]}`, EndState{Orders: []StateOrder{paid, paid}}, "orders: 1 unexpected"},
		{"distinct records", `{"orders":[{"status":"paid"},{"status":"paid"}]}`, EndState{Orders: []StateOrder{paid}}, "distinct"},
		{"options listed must match", `{"orders":[{"items":[{"menu_item_id":"i-001-01","quantity":1,"options":["순살"]}]}]}`,
			EndState{Orders: []StateOrder{paid}}, "orders: expected"},
		{"options not listed are free", `{"orders":[{"items":[{"menu_item_id":"i-001-01","quantity":1}]}]}`,
			EndState{Orders: []StateOrder{{Items: []StateLine{{MenuItemID: "i-001-01", Quantity: 1, Options: []string{"순살"}}}}}}, ""},
		{"grade folds 석", `{"bookings":[{"seat_grade":"R석","ticket_count":2}]}`,
			EndState{Bookings: []StateBooking{{SeatGrade: "R", TicketCount: 2}}}, ""},
		{"payment method", `{"payments":[{"method":"card"}]}`,
			EndState{Payments: []StatePayment{{Method: "kakaopay", Amount: 1, Status: "approved"}}}, "payments: expected"},
		{"subscriptions may hold more", `{"subscriptions":[{"channel_id":"ch-edam"}]}`,
			EndState{Subscriptions: []StateSubscription{{ChannelID: "ch-edam"}, {ChannelID: "m-001"}}}, ""},
		{"no subscriptions", `{"subscriptions":[]}`,
			EndState{Subscriptions: []StateSubscription{{ChannelID: "ch-edam"}}}, "subscriptions: 1 unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var exp Expect
			if err := json.Unmarshal([]byte(tc.expect), &exp); err != nil {
				t.Fatal(err)
			}
			diff := compareState(exp, &tc.got)
			switch {
			case tc.wantDiff == "" && diff != "":
				t.Errorf("diff = %q, want a pass", diff)
			case tc.wantDiff != "" && !strings.Contains(diff, tc.wantDiff):
				t.Errorf("diff = %q, want it to contain %q", diff, tc.wantDiff)
			}
		})
	}
}

func TestReadScenarios(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		want              int
	}{
		{"ok", `{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u"},"turns":["안녕"],"expect":{}}` + "\n\n# comment\n", "", 1},
		{"unknown field", `{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u"},"turns":["x"],"expect":{},"bogus":1}`, "line 1", 0},
		{"no turns", `{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u"},"expect":{}}`, "turns are required", 0},
		{"duplicate id", `{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u"},"turns":["x"]}` + "\n" +
			`{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u"},"turns":["x"]}`, "already used", 0},
		{"bad json", `{"id":`, "line 1", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadScenarios(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("got %d scenarios, want %d", len(got), tc.want)
			}
		})
	}
}
