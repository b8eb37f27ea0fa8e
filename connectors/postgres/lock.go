package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/sodam-ai/sodam"
)

// conversationLockSpace is the first key of the two-key advisory locks
// that serialise the turns of one conversation.
const conversationLockSpace = 0x50DA

// LockConversation serialises the turns of one user's conversation across
// every server on this database: it holds a session-level advisory lock
// keyed by the user id on a connection of its own until unlock is called.
// Waiting longer than timeout is EUNAVAILABLE ("still busy with your last
// message"), so two messages sent at once never act on the same cart or
// hold together, and a stuck turn does not block the user forever.
func (s *Store) LockConversation(ctx context.Context, userID string, timeout time.Duration) (unlock func(), err error) {
	const op = "postgres.LockConversation"
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, wrap(op, err)
	}
	h := fnv.New32a()
	h.Write([]byte(userID))
	key := int32(h.Sum32())
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// lock_timeout bounds the wait on the server too, should the client's
	// cancellation be lost; it is set in the same round trip, before the
	// lock is asked for.
	if _, err := conn.Exec(lctx, `SELECT set_config('lock_timeout', $1, false), pg_advisory_lock($2, $3)`,
		fmt.Sprintf("%d", timeout.Milliseconds()+1), conversationLockSpace, key); err != nil {
		// A cancelled wait may leave the connection unusable; drop it.
		conn.Conn().Close(context.Background())
		conn.Release()
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "앞선 메시지를 처리하고 있어요. 잠시 후 다시 보내 주세요.", Err: err}
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1, $2), set_config('lock_timeout', '0', false)`, conversationLockSpace, key); err != nil {
			conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}
