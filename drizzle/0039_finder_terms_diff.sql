-- The term index touches only the words whose (word, score) changed: an edit of one field of an
-- interaction rewrites a few index entries, not every word of the row. One statement: the removed
-- and added entries are disjoint (EXCEPT both ways), the counts change by what was really done.
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
  )
  INSERT INTO interaction_term_counts (tenant_id, term, n)
  SELECT x.tenant_id, x.term, sum(x.d)::int
  FROM (SELECT * FROM del UNION ALL SELECT * FROM ins) x
  GROUP BY 1, 2 HAVING sum(x.d) <> 0 ORDER BY 1, 2
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
