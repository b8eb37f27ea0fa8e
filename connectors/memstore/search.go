package memstore

import (
	"context"

	"github.com/sodam-ai/sodam"
)

var _ sodam.Searcher = (*Store)(nil)

// Search finds catalog records with the store's retrieval index, ranked at
// the store's clock time. A store made without an index cannot search:
// Search is EUNAVAILABLE.
func (s *Store) Search(ctx context.Context, q sodam.SearchQuery) ([]sodam.SearchHit, error) {
	const op = "memstore.Search"
	if s.index == nil {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "지금은 검색을 할 수 없어요."}
	}
	switch q.Kind {
	case sodam.KindMerchant, sodam.KindMenuItem, sodam.KindEvent:
	default:
		return nil, invalid(op, "검색할 종류를 알 수 없어요: %q", q.Kind)
	}
	if err := ctx.Err(); err != nil {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
	}
	return s.index.Search(q, s.clock.Now()), nil
}

// The index methods keep the retrieval index in step with the catalog.
// They run under the catalog's write lock, so the index sees upserts of
// one record in the order the store applied them. Each gets its own copy.

func (s *Store) indexMerchant(m *sodam.Merchant) {
	if s.index != nil {
		s.index.PutMerchant(cloneMerchant(m))
	}
}

func (s *Store) indexMenuItem(i *sodam.MenuItem) {
	if s.index != nil {
		s.index.PutMenuItem(cloneMenuItem(i))
	}
}

func (s *Store) indexEvent(e *sodam.Event) {
	if s.index != nil {
		s.index.PutEvent(cloneEvent(e))
	}
}

func (s *Store) indexSession(sess *sodam.Session) {
	if s.index != nil {
		s.index.PutSession(cloneSession(sess))
	}
}
