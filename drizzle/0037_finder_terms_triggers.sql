-- The Finder's ranked term index (interaction_terms, interaction_term_counts, interaction_term_gaps;
-- src/db/schema/crm.ts), kept exact by statement triggers on interactions, then filled from the
-- existing rows.

-- The tsquery of one word as it is (no parser: a word such as "co-operate" stays one lexeme).
CREATE FUNCTION interaction_term_query(term text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('''' || replace(replace(term, '\', '\\'), '''', '''''') || '''')::tsquery
$$;--> statement-breakpoint
-- A row's score for one of its words: ts_rank against that word alone, which is the Finder's rank
-- for a query whose only matching word in the row is that one (prefix or not: one entry matches).
CREATE FUNCTION interaction_term_score(v tsvector, term text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ts_rank(v, interaction_term_query(term))
$$;--> statement-breakpoint
-- Takes the words of `removed` (rows that were live with their old text) out and puts the words of
-- `added` (rows live with their new text) in; the counts change by what was really removed or added.
CREATE FUNCTION interaction_terms_apply(removed interactions[], added interactions[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(removed), 0) > 0 THEN
    WITH w AS (
      SELECT r.tenant_id, r.id, t.term, interaction_term_score(r.search_vector, t.term) AS score
      FROM unnest(removed) r, unnest(tsvector_to_array(r.search_vector)) t(term)
    ), del AS (
      DELETE FROM interaction_terms x USING w
      WHERE x.tenant_id = w.tenant_id AND x.term = w.term AND x.score = w.score AND x.interaction_id = w.id
      RETURNING x.tenant_id, x.term
    )
    UPDATE interaction_term_counts c SET n = c.n - d.n
    FROM (SELECT del.tenant_id, del.term, count(*)::int AS n FROM del GROUP BY 1, 2) d
    WHERE c.tenant_id = d.tenant_id AND c.term = d.term;
  END IF;
  IF coalesce(cardinality(added), 0) > 0 THEN
    WITH w AS (
      SELECT a.tenant_id, a.id, t.term, interaction_term_score(a.search_vector, t.term) AS score
      FROM unnest(added) a, unnest(tsvector_to_array(a.search_vector)) t(term)
    ), ins AS (
      INSERT INTO interaction_terms (tenant_id, term, score, interaction_id)
      SELECT w.tenant_id, w.term, w.score, w.id FROM w
      ON CONFLICT DO NOTHING
      RETURNING tenant_id, term
    )
    INSERT INTO interaction_term_counts (tenant_id, term, n)
    SELECT ins.tenant_id, ins.term, count(*)::int FROM ins GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (tenant_id, term) DO UPDATE SET n = interaction_term_counts.n + excluded.n;
    INSERT INTO interaction_term_gaps (tenant_id, word)
    SELECT DISTINCT a.tenant_id, r.word
    FROM unnest(added) a, regexp_split_to_table(a.search_text, '[^[:alnum:]]+') r(word)
    WHERE r.word <> '' AND NOT (r.word = ANY (tsvector_to_array(a.search_vector)))
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  END IF;
END $$;--> statement-breakpoint
CREATE FUNCTION interaction_terms_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM interaction_terms_apply('{}', (SELECT array_agg(n::interactions) FROM new_rows n WHERE n.deleted_at IS NULL));
  RETURN NULL;
END $$;--> statement-breakpoint
-- Only rows whose words or liveness changed (a trigger with transition tables cannot name columns).
CREATE FUNCTION interaction_terms_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM interaction_terms_apply(
    (SELECT array_agg(o::interactions) FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
      WHERE o.deleted_at IS NULL
        AND (n.deleted_at IS NOT NULL OR n.search_vector IS DISTINCT FROM o.search_vector)),
    (SELECT array_agg(n::interactions) FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
      WHERE n.deleted_at IS NULL
        AND (o.deleted_at IS NOT NULL OR n.search_vector IS DISTINCT FROM o.search_vector)));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION interaction_terms_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM interaction_terms_apply((SELECT array_agg(o::interactions) FROM old_rows o WHERE o.deleted_at IS NULL), '{}');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER interactions_terms_insert AFTER INSERT ON interactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_terms_on_insert();--> statement-breakpoint
CREATE TRIGGER interactions_terms_update AFTER UPDATE ON interactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_terms_on_update();--> statement-breakpoint
CREATE TRIGGER interactions_terms_delete AFTER DELETE ON interactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_terms_on_delete();--> statement-breakpoint
INSERT INTO interaction_terms (tenant_id, term, score, interaction_id)
  SELECT i.tenant_id, t.term, interaction_term_score(i.search_vector, t.term), i.id
  FROM interactions i, unnest(tsvector_to_array(i.search_vector)) t(term)
  WHERE i.deleted_at IS NULL;--> statement-breakpoint
INSERT INTO interaction_term_counts (tenant_id, term, n)
  SELECT tenant_id, term, count(*)::int FROM interaction_terms GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO interaction_term_gaps (tenant_id, word)
  SELECT DISTINCT i.tenant_id, r.word
  FROM interactions i, regexp_split_to_table(i.search_text, '[^[:alnum:]]+') r(word)
  WHERE i.deleted_at IS NULL AND r.word <> '' AND NOT (r.word = ANY (tsvector_to_array(i.search_vector)));--> statement-breakpoint
ANALYZE interaction_terms, interaction_term_counts, interaction_term_gaps;
