// A uniquely named database on a real server, for one test or CI run, dropped at the end.
import pg from "pg";

/**
 * @param {string} serverUrl any database on the server (used to issue CREATE/DROP DATABASE)
 * @param {string} prefix
 */
export async function createScratchDatabase(serverUrl, prefix) {
  const name = `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cannot reach the Postgres server at ${redact(serverUrl)}: ${err.message}`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!url.password) url.password = "postgres"; // the Neon driver wants user:password in the URL
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** @param {string} url */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}
