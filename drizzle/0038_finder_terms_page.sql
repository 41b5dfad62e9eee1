-- One page of a word's rows in the Finder's relevance order (score desc, then id desc), after a
-- keyset position or from an offset: a backward range of interaction_terms' primary key. Its own
-- planner settings: the Finder's statement turns index scans off for its full-text probes.
CREATE FUNCTION interaction_terms_page(p_tenant uuid, p_term text, p_after_score float8, p_after_id uuid, p_limit int, p_offset int)
RETURNS TABLE (interaction_id uuid, score real) LANGUAGE plpgsql STABLE
SET enable_indexscan = on SET enable_indexonlyscan = on
AS $$
BEGIN
  IF p_after_id IS NULL THEN
    RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term
      ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit OFFSET p_offset;
  ELSE
    RETURN QUERY SELECT it.interaction_id, it.score FROM interaction_terms it
      WHERE it.tenant_id = p_tenant AND it.term = p_term
        AND (it.score, it.interaction_id) < (p_after_score, p_after_id)
      ORDER BY it.score DESC, it.interaction_id DESC LIMIT p_limit OFFSET p_offset;
  END IF;
END $$;
