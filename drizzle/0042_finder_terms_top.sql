-- The cross-entity search's interactions in its order (rank desc, then id ascending): the first
-- p_limit rows of one word by stored score descending and, within a score, id ascending. A btree
-- cannot scan two directions at once, so each distinct score is found by a backward probe of
-- interaction_terms' primary key (max below the last one) and its ids read forward from there:
-- p_limit rows plus one probe per distinct score reached.
CREATE FUNCTION interaction_terms_top(p_tenant uuid, p_term text, p_limit int)
RETURNS TABLE (interaction_id uuid, score real) LANGUAGE plpgsql STABLE ROWS 25
SET enable_indexscan = on SET enable_indexonlyscan = on
AS $$
DECLARE
  s real;
  got bigint;
  remaining bigint := p_limit;
BEGIN
  SELECT max(it.score) INTO s FROM interaction_terms it WHERE it.tenant_id = p_tenant AND it.term = p_term;
  WHILE s IS NOT NULL AND remaining > 0 LOOP
    RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term AND it.score = s
      ORDER BY it.interaction_id LIMIT remaining;
    GET DIAGNOSTICS got = ROW_COUNT;
    remaining := remaining - got;
    SELECT max(it.score) INTO s FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term AND it.score < s;
  END LOOP;
END $$;--> statement-breakpoint
-- A page is at most a few dozen rows: the planner's default guess (1000) made it hash-join the
-- page to every interaction of the tenant instead of reading the page's rows by primary key.
ALTER FUNCTION interaction_terms_page(uuid, text, float8, uuid, int, int) ROWS 25;
