package merchant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/sodam-ai/sodam"
)

// keyPrefix starts every API key, so that a leaked key is recognisable.
const keyPrefix = "sodam_"

// IssueKey makes a new API key for a channel and returns it; it is shown
// this once and only its SHA-256 is kept. The account is created on the
// first key (a store when the id is a merchant's, an event channel when
// an event names it) and keeps its settings when the key is rotated; the
// old key stops working at once. An id that is neither is ENOTFOUND.
//
// A key is "sodam_" + the channel id + "." + 32 random bytes in hex.
func (s *Service) IssueKey(ctx context.Context, channelID string) (string, *sodam.MerchantAccount, error) {
	const op = "merchant.IssueKey"
	acct, err := s.recs.Account(ctx, channelID)
	switch {
	case err == nil:
	case sodam.IsCode(err, sodam.ENOTFOUND):
		kind, name, err := s.channel(ctx, channelID)
		if err != nil {
			return "", nil, sodam.WrapError(op, err)
		}
		acct = &sodam.MerchantAccount{ChannelID: channelID, Kind: kind, Name: name, CreatedAt: s.now()}
	default:
		return "", nil, sodam.WrapError(op, err)
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", nil, sodam.WrapError(op, err)
	}
	key := keyPrefix + channelID + "." + hex.EncodeToString(secret[:])
	sum := sha256.Sum256([]byte(key))
	now := s.now()
	acct.KeyHash = sum[:]
	acct.KeyIssuedAt = &now
	if err := s.recs.SaveAccount(ctx, acct); err != nil {
		return "", nil, sodam.WrapError(op, err)
	}
	return key, acct, nil
}

// channel tells what kind of channel id is and its name.
func (s *Service) channel(ctx context.Context, id string) (sodam.ChannelKind, string, error) {
	if id == "" {
		return "", "", sodam.Errorf(sodam.EINVALID, "채널 id가 필요해요.")
	}
	m, err := s.store.Merchant(ctx, id)
	if err == nil {
		return sodam.ChannelMerchant, m.Name, nil
	}
	if !sodam.IsCode(err, sodam.ENOTFOUND) {
		return "", "", err
	}
	es, err := s.store.Events(ctx)
	if err != nil {
		return "", "", err
	}
	for _, e := range es {
		if e.ChannelID == id {
			return sodam.ChannelEvents, firstNonEmpty(e.ChannelName, id), nil
		}
	}
	return "", "", sodam.Errorf(sodam.ENOTFOUND, "%s 채널을 찾을 수 없어요.", id)
}

// Authenticate returns the account a key belongs to. A malformed,
// unknown or rotated key is EUNAUTHORIZED; the hash is compared in
// constant time.
func (s *Service) Authenticate(ctx context.Context, key string) (*sodam.MerchantAccount, error) {
	const op = "merchant.Authenticate"
	denied := &sodam.Error{Code: sodam.EUNAUTHORIZED, Op: op, Message: "API 키가 올바르지 않아요."}
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return nil, denied
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot <= 0 || len(rest)-dot-1 != 64 {
		return nil, denied
	}
	acct, err := s.recs.Account(ctx, rest[:dot])
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return nil, denied
		}
		return nil, sodam.WrapError(op, err)
	}
	sum := sha256.Sum256([]byte(key))
	if len(acct.KeyHash) != len(sum) || subtle.ConstantTimeCompare(sum[:], acct.KeyHash) != 1 {
		return nil, denied
	}
	return acct, nil
}

// SetCommission sets a channel's commission in basis points (0 to 10000;
// negative goes back to the platform default).
func (s *Service) SetCommission(ctx context.Context, channelID string, bp int) (*sodam.MerchantAccount, error) {
	const op = "merchant.SetCommission"
	if bp > 10000 {
		return nil, fail(sodam.EINVALID, op, "수수료는 0%에서 100% 사이로 정해 주세요.")
	}
	acct, err := s.recs.Account(ctx, channelID)
	if err != nil {
		return nil, notFound(op, err, "계정이 없는 채널이에요. 먼저 키를 발급해 주세요.")
	}
	if bp < 0 {
		acct.CommissionBP = nil
	} else {
		acct.CommissionBP = &bp
	}
	if err := s.recs.SaveAccount(ctx, acct); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return acct, nil
}

// commissionBP is the commission of an account.
func (s *Service) commissionBP(acct *sodam.MerchantAccount) int {
	if acct != nil && acct.CommissionBP != nil {
		return *acct.CommissionBP
	}
	return s.bp
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
