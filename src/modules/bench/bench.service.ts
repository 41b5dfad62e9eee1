import type { TenantContext } from "../../core/context";
import { selectOne } from "./bench.repo";

/**
 * The benchmark's floor: the same authenticated request path every business route takes (request
 * context, token check, the metered HTTP driver) with exactly one round trip that does nothing.
 * Every scenario's latency is read against it.
 */
export async function floor(ctx: TenantContext): Promise<{ one: number }> {
  return { one: await selectOne(ctx.db) };
}
