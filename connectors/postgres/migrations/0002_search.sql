-- 0002: indexes for hybrid search.
--
-- Vectors: HNSW with cosine distance, the metric of the built-in embedder
-- (its vectors are L2-normalised, so cosine and inner product agree).
-- The indexes themselves are created by the store (ensureVectorIndexes)
-- with m = 16 links per node and ef_construction = 32: half pgvector's
-- default build effort, which halves the cost of every insert during
-- ingestion, while queries raise hnsw.ef_search to 400 (see search.go)
-- and still find >= 0.95 of the exact top 10 (TestHNSWRecall).
-- The embedding columns are typed vector without a dimension so the
-- embedder can change (assistant ingest --reembed); an HNSW index needs a
-- fixed dimension, so the indexes are built on an expression cast to the
-- dimension recorded in search_config and rebuilt when it changes.
--
-- Keywords: trigram GIN indexes (pg_trgm) on the text a record is found
-- by: names, aliases, brand, category, performer, venue.

CREATE TABLE search_config (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    embedder  text NOT NULL,
    dim       integer NOT NULL
);

CREATE INDEX merchants_trgm ON merchants USING gin (search_text gin_trgm_ops);
CREATE INDEX menu_items_trgm ON menu_items USING gin (search_text gin_trgm_ops);
CREATE INDEX events_trgm ON events USING gin (search_text gin_trgm_ops);
