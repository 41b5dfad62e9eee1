-- The Finder's typo dictionary leads its trigram GIN index with tenant_id (btree_gin).
CREATE EXTENSION IF NOT EXISTS btree_gin;
