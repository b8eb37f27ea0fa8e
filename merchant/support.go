package merchant

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// ComplaintView is a complaint with the order or booking it is about.
type ComplaintView struct {
	*sodam.Complaint
	Order   *sodam.Order   `json:"order,omitempty"`
	Booking *sodam.Booking `json:"booking,omitempty"`
}

// Complaints lists the channel's complaints, newest first: open ones
// only unless all is set.
func (s *Service) Complaints(ctx context.Context, acct *sodam.MerchantAccount, all bool) ([]*ComplaintView, error) {
	const op = "merchant.Complaints"
	cs, err := s.recs.ComplaintsByChannel(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	out := []*ComplaintView{}
	for i := len(cs) - 1; i >= 0; i-- {
		if !all && cs[i].Status != sodam.ComplaintOpen {
			continue
		}
		out = append(out, s.complaintView(ctx, cs[i]))
	}
	return out, nil
}

func (s *Service) complaintView(ctx context.Context, c *sodam.Complaint) *ComplaintView {
	v := &ComplaintView{Complaint: c}
	if c.OrderID != "" {
		v.Order, _ = s.store.Order(ctx, c.OrderID)
	}
	if c.BookingID != "" {
		v.Booking, _ = s.store.Booking(ctx, c.BookingID)
	}
	return v
}

// ownComplaint returns one of the channel's complaints; another
// channel's is ENOTFOUND.
func (s *Service) ownComplaint(ctx context.Context, op string, acct *sodam.MerchantAccount, id string) (*sodam.Complaint, error) {
	c, err := s.store.Complaint(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "불편 사항을 찾을 수 없어요.")
	}
	if acct == nil || c.MerchantID != acct.ChannelID {
		return nil, fail(sodam.ENOTFOUND, op, "불편 사항을 찾을 수 없어요.")
	}
	return c, nil
}

// checkText trims a reply or an answer and checks its length.
func checkText(op, text, what string, max int) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > max {
		return "", fail(sodam.EINVALID, op, fmt.Sprintf("%s을(를) %d자 안으로 적어 주세요.", what, max))
	}
	return text, nil
}

// ReplyComplaint replies to one of the channel's complaints; the reply
// reaches the customer's chat at once, and resolve also marks the
// complaint resolved. A later reply replaces the earlier one.
func (s *Service) ReplyComplaint(ctx context.Context, acct *sodam.MerchantAccount, id, reply string, resolve bool) (*ComplaintView, error) {
	const op = "merchant.ReplyComplaint"
	reply, err := checkText(op, reply, "답변", 1000)
	if err != nil {
		return nil, err
	}
	if _, err := s.ownComplaint(ctx, op, acct, id); err != nil {
		return nil, err
	}
	c, err := s.store.UpdateComplaint(ctx, id, func(c *sodam.Complaint) error {
		c.Reply = reply
		if resolve {
			c.Status = sodam.ComplaintResolved
		}
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	s.notify(ctx, &sodam.BusEvent{Kind: sodam.EventComplaintChanged, UserID: c.UserID, ComplaintID: c.ID, OrderID: c.OrderID,
		ChannelID: acct.ChannelID, Status: string(c.Status)},
		&sodam.Notice{UserID: c.UserID, Kind: sodam.NoticeComplaintReply, ChannelID: acct.ChannelID,
			ComplaintID: c.ID, OrderID: c.OrderID, Text: fmt.Sprintf("%s에서 불편 사항에 답변했어요: %s", acct.Name, reply)})
	return s.complaintView(ctx, c), nil
}

// ResolveComplaint marks one of the channel's complaints resolved.
func (s *Service) ResolveComplaint(ctx context.Context, acct *sodam.MerchantAccount, id string) (*ComplaintView, error) {
	const op = "merchant.ResolveComplaint"
	if _, err := s.ownComplaint(ctx, op, acct, id); err != nil {
		return nil, err
	}
	c, err := s.store.UpdateComplaint(ctx, id, func(c *sodam.Complaint) error {
		c.Status = sodam.ComplaintResolved
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return s.complaintView(ctx, c), nil
}

// Ask forwards a user's question about a channel (a store or an event
// channel) to its inquiry inbox with the conversation before it, and
// returns the stored inquiry. The assistant calls it for questions the
// catalog does not answer, instead of guessing.
func (s *Service) Ask(ctx context.Context, userID, channelID, question string, context []string) (*sodam.Inquiry, error) {
	const op = "merchant.Ask"
	question, err := checkText(op, question, "문의", 1000)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.channel(ctx, channelID); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if len(context) > 10 {
		context = context[len(context)-10:]
	}
	q := &sodam.Inquiry{UserID: userID, ChannelID: channelID, Question: question, Context: slices.Clone(context),
		Status: sodam.InquiryOpen, CreatedAt: s.now()}
	if err := s.recs.CreateInquiry(ctx, q); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return q, nil
}

// Inquiries lists the channel's inquiries, newest first: open ones only
// unless all is set.
func (s *Service) Inquiries(ctx context.Context, acct *sodam.MerchantAccount, all bool) ([]*sodam.Inquiry, error) {
	qs, err := s.recs.InquiriesByChannel(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError("merchant.Inquiries", err)
	}
	out := []*sodam.Inquiry{}
	for i := len(qs) - 1; i >= 0; i-- {
		if all || qs[i].Status == sodam.InquiryOpen {
			out = append(out, qs[i])
		}
	}
	return out, nil
}

// Answer answers one of the channel's inquiries; the answer reaches the
// customer's chat at once. Another channel's inquiry is ENOTFOUND.
func (s *Service) Answer(ctx context.Context, acct *sodam.MerchantAccount, id, answer string) (*sodam.Inquiry, error) {
	const op = "merchant.Answer"
	answer, err := checkText(op, answer, "답변", 1000)
	if err != nil {
		return nil, err
	}
	q, err := s.recs.Inquiry(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "문의를 찾을 수 없어요.")
	}
	if q.ChannelID != acct.ChannelID {
		return nil, fail(sodam.ENOTFOUND, op, "문의를 찾을 수 없어요.")
	}
	now := s.now()
	q, err = s.recs.UpdateInquiry(ctx, id, func(q *sodam.Inquiry) error {
		q.Answer = answer
		q.Status = sodam.InquiryAnswered
		q.AnsweredAt = &now
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	s.notify(ctx, &sodam.BusEvent{Kind: sodam.EventInquiryAnswered, UserID: q.UserID, ChannelID: acct.ChannelID},
		&sodam.Notice{UserID: q.UserID, Kind: sodam.NoticeInquiryAnswer, ChannelID: acct.ChannelID, InquiryID: q.ID,
			Text: fmt.Sprintf("%s에서 문의에 답변했어요.\nQ. %s\nA. %s", acct.Name, q.Question, answer)})
	return q, nil
}
