package tools_test

import (
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func TestFileComplaint(t *testing.T) { forEachStore(t, testFileComplaint) }

func testFileComplaint(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	_, err := e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "cold"})
	wantCode(t, err, sodam.ENOTFOUND)

	// A paid order, then a paid booking an hour later, then a placed
	// order an hour after that.
	first := e.placedOrder(t)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: first.ID})
	must(t, err)
	e.clock.Add(time.Hour)
	bk, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 1})
	must(t, err)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: bk.Booking.ID})
	must(t, err)

	out, err := e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "rude", Text: "직원이 불친절했어요"})
	must(t, err)
	c := out.Complaint
	if c.BookingID != bk.Booking.ID || c.OrderID != "" || c.Status != sodam.ComplaintOpen || c.Type != sodam.ComplaintRude {
		t.Errorf("complaint about the latest (the booking) = %+v", c)
	}
	if c.MerchantID != "e-003" {
		t.Errorf("routed to %q, want the event itself (it has no channel)", c.MerchantID)
	}

	// Food complaints are about the latest order even when a booking came
	// after it.
	out, err = e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "cold", Text: "치킨이 다 식었어요"})
	must(t, err)
	if out.Complaint.OrderID != first.ID || out.Complaint.MerchantID != "m-001" {
		t.Errorf("cold complaint = %+v, want about %s at m-001", out.Complaint, first.ID)
	}

	e.clock.Add(time.Hour)
	second := e.placedOrder(t)
	out, err = e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "other"})
	must(t, err)
	if out.Complaint.OrderID != second.ID {
		t.Errorf("complaint = %+v, want about the newest order %s", out.Complaint, second.ID)
	}

	// Named records must be the user's.
	out, err = e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "late", OrderID: first.ID})
	must(t, err)
	if out.Complaint.OrderID != first.ID || out.Order == nil {
		t.Errorf("named complaint = %+v", out.Complaint)
	}
	_, err = e.tb.FileComplaint(bg, "u-2", tools.FileComplaintInput{Type: "late", OrderID: first.ID})
	wantCode(t, err, sodam.ENOTFOUND)
	_, err = e.tb.FileComplaint(bg, "u-2", tools.FileComplaintInput{Type: "rude", BookingID: bk.Booking.ID})
	wantCode(t, err, sodam.ENOTFOUND)
	_, err = e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "smelly"})
	wantCode(t, err, sodam.EINVALID)

	cs, err := e.store.ComplaintsByUser(bg, "u-1")
	must(t, err)
	if len(cs) != 4 {
		t.Errorf("%d complaints stored, want 4", len(cs))
	}
}

func TestComplaintAboutPaidBookingWithChannel(t *testing.T) {
	e := newEnv(t)
	bk, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 1})
	must(t, err)
	// A held booking is not something to complain about yet.
	_, err = e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "other"})
	wantCode(t, err, sodam.ENOTFOUND)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: bk.Booking.ID})
	must(t, err)
	out, err := e.tb.FileComplaint(bg, "u-1", tools.FileComplaintInput{Type: "quality"})
	must(t, err)
	if out.Complaint.BookingID != bk.Booking.ID || out.Complaint.MerchantID != "ch-edam" {
		t.Errorf("complaint = %+v, want routed to ch-edam", out.Complaint)
	}
}

func TestSubscribeChannel(t *testing.T) {
	tests := []struct {
		name     string
		in       tools.SubscribeChannelInput
		wantID   string
		wantName string
		code     string
	}{
		{name: "merchant id", in: tools.SubscribeChannelInput{ChannelID: "m-001"}, wantID: "m-001", wantName: "교동치킨 혜화점"},
		{name: "event channel id", in: tools.SubscribeChannelInput{ChannelID: "ch-edam"}, wantID: "ch-edam", wantName: "EDAM엔터테인먼트"},
		{name: "channel name", in: tools.SubscribeChannelInput{ChannelID: "EDAM 엔터테인먼트"}, wantID: "ch-edam", wantName: "EDAM엔터테인먼트"},
		{name: "unknown", in: tools.SubscribeChannelInput{ChannelID: "ch-nope"}, code: sodam.ENOTFOUND},
		{name: "an event id is not a channel", in: tools.SubscribeChannelInput{ChannelID: "e-001"}, code: sodam.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			out, err := e.tb.SubscribeChannel(bg, "u-1", tc.in)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				u, err := e.store.User(bg, "u-1")
				must(t, err)
				if len(u.Subscriptions) != 0 {
					t.Errorf("subscriptions = %v after a refusal", u.Subscriptions)
				}
				return
			}
			must(t, err)
			again, err := e.tb.SubscribeChannel(bg, "u-1", tc.in)
			must(t, err)
			for _, o := range []*tools.SubscribeChannelOutput{out, again} {
				if o.ChannelID != tc.wantID || o.ChannelName != tc.wantName || len(o.Subscriptions) != 1 || o.Subscriptions[0] != tc.wantID {
					t.Errorf("subscribe = %+v", o)
				}
			}
			off, err := e.tb.SubscribeChannel(bg, "u-1", tools.SubscribeChannelInput{ChannelID: tc.wantID, Unsubscribe: true})
			must(t, err)
			if len(off.Subscriptions) != 0 {
				t.Errorf("after unsubscribing: %v", off.Subscriptions)
			}
		})
	}
}
