-- The API's statements are short (a few ms to a few tens of ms), but the expanded call plans and
-- the reports' unions are estimated well above jit_above_cost, so PostgreSQL compiled them with
-- LLVM on every request: measured on the 1M-visit bench database, JIT took 100-220 ms of a sync
-- or an overview that runs in 10-60 ms without it. Off for this database (new sessions).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
