package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/retrieval"
)

// Changing the embedder: opening with another one is refused until the
// catalog is re-embedded; after Reembed, search works with the new vectors.
func TestReembed(t *testing.T) {
	t.Parallel()
	url, schema := pgtest.Schema(t, "test")
	ctx := context.Background()

	s, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: retrieval.NewHashEmbedder(256)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertBatch(ctx, batchOf(100)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	small := retrieval.NewHashEmbedder(128)
	if _, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: small}); !sodam.IsCode(err, sodam.EINVALID) {
		t.Fatalf("open with another embedder: err = %v, want invalid", err)
	}
	s, err = postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: small, Reembedding: true})
	if err != nil {
		t.Fatal(err)
	}
	var last, total int
	if err := s.Reembed(ctx, func(d, tot int) { last, total = d, tot }); err != nil {
		t.Fatal(err)
	}
	if last != total || total != 100 {
		t.Errorf("progress ended at %d of %d, want 100 of 100", last, total)
	}
	s.Close()

	s, err = postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: small})
	if err != nil {
		t.Fatalf("open after reembed: %v", err)
	}
	defer s.Close()
	hits, err := s.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "양념치킨", Mode: sodam.SearchVector, Limit: 3})
	if err != nil || len(hits) == 0 {
		t.Fatalf("vector search after reembed: %v, %v", hits, err)
	}
	it, _ := s.MenuItem(ctx, hits[0].ID)
	if it.Name != "양념치킨" {
		t.Errorf("top vector hit for 양념치킨 is %q", it.Name)
	}
}

// TestReembedWhileAnOlderSnapshotIsOpen: another transaction of the
// database holding a snapshot from before Reembed keeps the rewritten
// rows' old versions (old-dimension vectors) from being cleaned up; the
// new index must still build, once that transaction ends.
func TestReembedWhileAnOlderSnapshotIsOpen(t *testing.T) {
	url, schema := pgtest.Schema(t, "test")
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: retrieval.NewHashEmbedder(256)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertBatch(ctx, batchOf(50)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	old, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close(ctx)
	tx, err := old.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1`); err != nil { // takes the snapshot
		t.Fatal(err)
	}
	// The holder ends its transaction a while later, on its own
	// goroutine; the connection is used by no other until it is done.
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(2 * time.Second)
		tx.Rollback(context.Background())
	}()
	defer func() { <-released }()

	s, err = postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Embedder: retrieval.NewHashEmbedder(128), Reembedding: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Reembed(ctx, nil); err != nil {
		t.Fatalf("Reembed with an older snapshot open: %v", err)
	}
	hits, err := s.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "양념치킨", Mode: sodam.SearchVector, Limit: 3})
	if err != nil || len(hits) == 0 {
		t.Fatalf("vector search after reembed: %v, %v", hits, err)
	}
}
