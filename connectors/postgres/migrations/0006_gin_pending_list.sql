-- 0006: a bounded pending list for the trigram indexes.
--
-- A GIN index keeps new entries in a pending list (up to
-- gin_pending_list_limit, 4 MB by default) until they are merged, and
-- every search scans that list: after a large ingest a trigram search
-- read 2-3 ms of it before merging and 0.3-1 ms after. 512 kB keeps most
-- of the batching that makes inserts cheap and bounds what a search
-- scans.
--
-- The vector indexes stay as 0002 describes them (vector, m = 16,
-- ef_construction = 32); Search now reads them at ef_search 100, which
-- finds 0.998 of the exact 10 nearest over 100,000 menu items. A halfvec
-- index was tried: its rounding cost recall that only a costlier graph
-- (ef_construction 100) and ef_search 140 won back, and searches were
-- slower than on this index.

ALTER INDEX merchants_trgm SET (gin_pending_list_limit = 512);
ALTER INDEX menu_items_trgm SET (gin_pending_list_limit = 512);
ALTER INDEX events_trgm SET (gin_pending_list_limit = 512);
