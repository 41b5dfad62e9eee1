-- Kiosk identification compares a probe with every descriptor of the tenant. cube's distance is
-- C code; the descriptor split into cubes of at most 100 components (cube's limit) lets Postgres
-- compute a whole comparison in a few C calls instead of unnesting every component.
CREATE EXTENSION IF NOT EXISTS cube;--> statement-breakpoint
CREATE OR REPLACE FUNCTION face_chunks(v real[]) RETURNS cube[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ select array(select cube(v[i * 100 + 1 : least((i + 1) * 100, cardinality(v))]::float8[])
                     from generate_series(0, (cardinality(v) - 1) / 100) i order by i) $$;
