package ws

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// DefaultTokenTTL is how long a session token is valid after it was
// issued. Every welcome issues a new one, so an active user never sees
// one expire.
const DefaultTokenTTL = 30 * 24 * time.Hour

// Tokens issues and checks session tokens: the user id and an expiry,
// signed with HMAC-SHA256. A token binds a connection to one user; the
// server acts for that user only.
//
// The format is "v1.<base64url user id>.<unix expiry>.<base64url MAC>",
// the MAC taken over everything before its dot.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	clock  sodam.Clock
}

// NewTokens returns tokens signed with secret, valid for ttl
// (DefaultTokenTTL when not positive). A nil clock is sodam.WallClock.
func NewTokens(secret []byte, ttl time.Duration, clock sodam.Clock) *Tokens {
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	if clock == nil {
		clock = sodam.WallClock
	}
	return &Tokens{secret: append([]byte(nil), secret...), ttl: ttl, clock: clock}
}

// NewSecret returns 32 random bytes for a server that was given no secret.
// Tokens signed with it do not survive a restart.
func NewSecret() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// Issue returns a token for userID and when it expires.
func (t *Tokens) Issue(userID string) (token string, expires time.Time) {
	expires = t.clock.Now().Add(t.ttl).Truncate(time.Second)
	body := "v1." + base64.RawURLEncoding.EncodeToString([]byte(userID)) + "." + strconv.FormatInt(expires.Unix(), 10)
	return body + "." + base64.RawURLEncoding.EncodeToString(t.mac(body)), expires
}

// Verify returns the user id of a token. A token that is malformed, not
// signed with this secret, or expired is EUNAUTHORIZED.
func (t *Tokens) Verify(token string) (userID string, err error) {
	const op = "ws.Tokens.Verify"
	bad := &sodam.Error{Code: sodam.EUNAUTHORIZED, Op: op, Message: "세션이 올바르지 않아요. 새로 연결해 주세요."}
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 512 {
		return "", bad
	}
	body, sig := token[:i], token[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, t.mac(body)) {
		return "", bad
	}
	parts := strings.Split(body, ".")
	if len(parts) != 3 || parts[0] != "v1" {
		return "", bad
	}
	id, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(id) == 0 {
		return "", bad
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", bad
	}
	if !t.clock.Now().Before(time.Unix(exp, 0)) {
		return "", &sodam.Error{Code: sodam.EUNAUTHORIZED, Op: op, Message: "세션이 만료됐어요. 새로 연결해 주세요."}
	}
	return string(id), nil
}

func (t *Tokens) mac(body string) []byte {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// newUserID returns the id of a new web user: "web-" and 16 hex digits.
func newUserID() string {
	var b [8]byte
	rand.Read(b[:])
	return "web-" + hex.EncodeToString(b[:])
}
