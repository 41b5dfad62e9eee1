import { describe, expect, it } from "vitest";
import { isUuid, uuidv7 } from "../../src/core/ids";

describe("ids", () => {
  it("uuidv7 makes version-7 ids in strictly increasing order, also within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7());
    for (const id of ids) {
      expect(isUuid(id), id).toBe(true);
      expect(id[14], id).toBe("7");
      expect("89ab", id).toContain(id[19]);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // 2000 ids in a tight loop (and workerd's clock stands still while code runs): many of them
    // share a millisecond, and the order above held among those too.
    const perMillisecond = new Map<string, number>();
    for (const id of ids) perMillisecond.set(id.slice(0, 13), (perMillisecond.get(id.slice(0, 13)) ?? 0) + 1);
    expect(Math.max(...perMillisecond.values())).toBeGreaterThan(1);
  });
});
