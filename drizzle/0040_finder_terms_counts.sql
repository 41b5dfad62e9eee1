-- The counts: a word that lost rows is only updated (never inserted, so the rows of a tenant being
-- deleted, whose counts the cascade may already have removed, never insert a count for it); a word
-- that gained rows is upserted. The two sets of words are disjoint.
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
    RETURNING x.tenant_id, x.term, -1 AS d
  ), ins AS (
    INSERT INTO interaction_terms (tenant_id, term, score, interaction_id)
    SELECT c.tenant_id, c.term, c.score, c.id FROM came c
    ON CONFLICT DO NOTHING
    RETURNING tenant_id, term, 1 AS d
  ), delta AS (
    SELECT x.tenant_id, x.term, sum(x.d)::int AS n
    FROM (SELECT * FROM del UNION ALL SELECT * FROM ins) x
    GROUP BY 1, 2
  ), fewer AS (
    UPDATE interaction_term_counts c SET n = c.n + delta.n
    FROM delta WHERE delta.n < 0 AND c.tenant_id = delta.tenant_id AND c.term = delta.term
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
END $$;
