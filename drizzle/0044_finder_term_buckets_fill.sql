-- interaction_term_buckets (0043): a word's entries counted per (score, first 20 bits of the id;
-- for a uuid v7 about three days of its timestamp). Uuids compare bytewise, so within one score
-- the buckets are consecutive ranges of the id order.
CREATE FUNCTION interaction_term_bucket(id uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (get_byte(uuid_send(id), 0) << 12) | (get_byte(uuid_send(id), 1) << 4) | (get_byte(uuid_send(id), 2) >> 4)
$$;--> statement-breakpoint
-- The smallest uuid of a bucket (its first 20 bits, the rest zero).
CREATE FUNCTION interaction_term_bucket_start(bucket integer) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex(bucket), 5, '0') || '000-0000-0000-0000-000000000000')::uuid
$$;--> statement-breakpoint
-- 0040's function, plus the bucket counts: changed by what was really removed or added, the same
-- way as the word counts (a bucket that lost entries is only updated, one that gained is upserted).
CREATE OR REPLACE FUNCTION interaction_terms_apply(removed interactions[], added interactions[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH old_w AS (
    SELECT r.tenant_id, r.id, t.term, interaction_term_score(r.search_vector, t.term) AS score
    FROM unnest(coalesce(removed, '{}')) r, unnest(tsvector_to_array(r.search_vector)) t(term)
  ), new_w AS (
    SELECT a.tenant_id, a.id, t.term, interaction_term_score(a.search_vector, t.term) AS score
    FROM unnest(coalesce(added, '{}')) a, unnest(tsvector_to_array(a.search_vector)) t(term)
  ), gone AS (
    SELECT * FROM old_w EXCEPT SELECT * FROM new_w
  ), came AS (
    SELECT * FROM new_w EXCEPT SELECT * FROM old_w
  ), del AS (
    DELETE FROM interaction_terms x USING gone g
    WHERE x.tenant_id = g.tenant_id AND x.term = g.term AND x.score = g.score AND x.interaction_id = g.id
    RETURNING x.tenant_id, x.term, x.score, x.interaction_id, -1 AS d
  ), ins AS (
    INSERT INTO interaction_terms (tenant_id, term, score, interaction_id)
    SELECT c.tenant_id, c.term, c.score, c.id FROM came c
    ON CONFLICT DO NOTHING
    RETURNING tenant_id, term, score, interaction_id, 1 AS d
  ), changes AS (
    SELECT * FROM del UNION ALL SELECT * FROM ins
  ), delta AS (
    SELECT x.tenant_id, x.term, sum(x.d)::int AS n FROM changes x GROUP BY 1, 2
  ), fewer AS (
    UPDATE interaction_term_counts c SET n = c.n + delta.n
    FROM delta WHERE delta.n < 0 AND c.tenant_id = delta.tenant_id AND c.term = delta.term
  ), bdelta AS (
    SELECT x.tenant_id, x.term, x.score, interaction_term_bucket(x.interaction_id) AS bucket, sum(x.d)::int AS n
    FROM changes x GROUP BY 1, 2, 3, 4
  ), bfewer AS (
    UPDATE interaction_term_buckets b SET n = b.n + bdelta.n
    FROM bdelta WHERE bdelta.n < 0 AND b.tenant_id = bdelta.tenant_id AND b.term = bdelta.term
      AND b.score = bdelta.score AND b.bucket = bdelta.bucket
  ), bmore AS (
    INSERT INTO interaction_term_buckets (tenant_id, term, score, bucket, n)
    SELECT bdelta.tenant_id, bdelta.term, bdelta.score, bdelta.bucket, bdelta.n FROM bdelta WHERE bdelta.n > 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, term, score, bucket) DO UPDATE SET n = interaction_term_buckets.n + excluded.n
  )
  INSERT INTO interaction_term_counts (tenant_id, term, n)
  SELECT delta.tenant_id, delta.term, delta.n FROM delta WHERE delta.n > 0 ORDER BY 1, 2
  ON CONFLICT (tenant_id, term) DO UPDATE SET n = interaction_term_counts.n + excluded.n;
  IF coalesce(cardinality(added), 0) > 0 THEN
    INSERT INTO interaction_term_gaps (tenant_id, word)
    SELECT DISTINCT a.tenant_id, r.word
    FROM unnest(added) a, regexp_split_to_table(a.search_text, '[^[:alnum:]]+') r(word)
    WHERE r.word <> '' AND NOT (r.word = ANY (tsvector_to_array(a.search_vector)))
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  END IF;
END $$;--> statement-breakpoint
-- A page by offset (no keyset position) starts at the bucket holding its first entry: the bucket
-- counts before it are summed (a few hundred rows for a common word) and only that bucket's
-- entries before the page are read, not every entry before it. After a keyset position: 0038's range.
CREATE OR REPLACE FUNCTION interaction_terms_page(p_tenant uuid, p_term text, p_after_score float8, p_after_id uuid, p_limit int, p_offset int)
RETURNS TABLE (interaction_id uuid, score real) LANGUAGE plpgsql STABLE ROWS 25
SET enable_indexscan = on SET enable_indexonlyscan = on
AS $$
DECLARE
  b record;
BEGIN
  IF p_after_id IS NULL AND p_offset > 0 THEN
    SELECT x.score, x.bucket, x.before INTO b FROM (
      SELECT k.score, k.bucket, k.n,
        sum(k.n) OVER (ORDER BY k.score DESC, k.bucket DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - k.n AS before
      FROM interaction_term_buckets k WHERE k.tenant_id = p_tenant AND k.term = p_term
    ) x WHERE x.before + x.n > p_offset ORDER BY x.score DESC, x.bucket DESC LIMIT 1;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    IF b.bucket = 1048575 THEN
      RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
        WHERE it.tenant_id = p_tenant AND it.term = p_term AND it.score <= b.score
        ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit OFFSET p_offset - b.before;
    ELSE
      RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
        WHERE it.tenant_id = p_tenant AND it.term = p_term
          AND (it.score, it.interaction_id) < (b.score, interaction_term_bucket_start(b.bucket + 1))
        ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit OFFSET p_offset - b.before;
    END IF;
  ELSIF p_after_id IS NULL THEN
    RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term
      ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit;
  ELSE
    RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term
        AND (it.score, it.interaction_id) < (p_after_score, p_after_id)
      ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit OFFSET p_offset;
  END IF;
END $$;--> statement-breakpoint
INSERT INTO interaction_term_buckets (tenant_id, term, score, bucket, n)
  SELECT tenant_id, term, score, interaction_term_bucket(interaction_id), count(*)::int
  FROM interaction_terms GROUP BY 1, 2, 3, 4;--> statement-breakpoint
ANALYZE interaction_term_buckets;
