import { describe, expect, it } from "vitest";
import { type ShelfRect, shelfShares } from "../../src/modules/photos/shelf-share";

/** mulberry32: a small seeded PRNG, so every run checks the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = ["a", "b", "c", "d", "e"];

/** Random rectangles inside the unit square; on a coarse grid when `grid` is set (many shared edges). */
function randomRects(rand: () => number, grid?: number): ShelfRect[] {
  const n = 1 + Math.floor(rand() * 30);
  const brands = 1 + Math.floor(rand() * BRANDS.length);
  const coord = () => (grid ? Math.floor(rand() * grid) / grid : rand());
  return Array.from({ length: n }, () => {
    let x = coord();
    let y = coord();
    if (x >= 1) x = 0;
    if (y >= 1) y = 0;
    const step = grid ? 1 / grid : 0;
    const width = grid
      ? step * (1 + Math.floor(rand() * Math.round((1 - x) / step)))
      : (1 - x) * Math.max(rand(), 1e-3);
    const height = grid
      ? step * (1 + Math.floor(rand() * Math.round((1 - y) / step)))
      : (1 - y) * Math.max(rand(), 1e-3);
    return { brandId: BRANDS[Math.floor(rand() * brands)] ?? "a", x, y, width, height };
  });
}

function shareMap(rects: readonly ShelfRect[]): Map<string, number> {
  return new Map(shelfShares(rects).shares.map((s) => [s.brandId, s.percentage]));
}

function expectSameShares(actual: Map<string, number>, expected: Map<string, number>, label: string): void {
  expect([...actual.keys()].sort(), label).toEqual([...expected.keys()].sort());
  for (const [brand, share] of expected)
    expect(Math.abs((actual.get(brand) ?? Number.NaN) - share), label).toBeLessThan(1e-9);
}

function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * An independent oracle for grid-aligned rectangles: walk every grid cell, find the brands covering
 * its centre, give each 1/k of the cell.
 */
function gridOracle(
  rects: readonly ShelfRect[],
  grid: number,
): { shares: Map<string, number>; area: number } {
  const owned = new Map<string, number>();
  let area = 0;
  const cell = 1 / grid ** 2;
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const cx = (i + 0.5) / grid;
      const cy = (j + 0.5) / grid;
      const here = new Set(
        rects
          .filter((r) => r.x < cx && cx < r.x + r.width && r.y < cy && cy < r.y + r.height)
          .map((r) => r.brandId),
      );
      if (here.size === 0) continue;
      area += cell;
      for (const b of here) owned.set(b, (owned.get(b) ?? 0) + cell / here.size);
    }
  }
  return { shares: new Map([...owned].map(([b, a]) => [b, (a / area) * 100])), area };
}

const CASES = 300;

describe("shelf share (property tests, seeded)", () => {
  it("shares add up to 100 % and each lies in 0..100", () => {
    const rand = prng(1);
    for (let i = 0; i < CASES; i++) {
      const rects = randomRects(rand, i % 2 === 0 ? 10 : undefined);
      const { shares, markedArea } = shelfShares(rects);
      const total = shares.reduce((sum, s) => sum + s.percentage, 0);
      expect(Math.abs(total - 100), `case ${i}`).toBeLessThan(1e-9);
      for (const s of shares) {
        expect(s.percentage).toBeGreaterThan(0);
        expect(s.percentage).toBeLessThanOrEqual(100 + 1e-9);
      }
      expect(markedArea).toBeGreaterThan(0);
      expect(markedArea).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it("matches an independent cell-by-cell oracle on grid-aligned marks", () => {
    const rand = prng(2);
    for (let i = 0; i < CASES; i++) {
      const grid = 12;
      const rects = randomRects(rand, grid);
      const oracle = gridOracle(rects, grid);
      const result = shelfShares(rects);
      expect(Math.abs(result.markedArea - oracle.area), `case ${i}`).toBeLessThan(1e-9);
      expectSameShares(shareMap(rects), oracle.shares, `case ${i}`);
    }
  });

  it("the order of the rectangles does not matter", () => {
    const rand = prng(3);
    for (let i = 0; i < CASES; i++) {
      const rects = randomRects(rand, i % 2 === 0 ? 8 : undefined);
      expectSameShares(shareMap(shuffle(rects, rand)), shareMap(rects), `case ${i}`);
    }
  });

  it("overlap is counted once: repeating a brand's marks changes nothing", () => {
    const rand = prng(4);
    for (let i = 0; i < CASES; i++) {
      const rects = randomRects(rand, i % 2 === 0 ? 8 : undefined);
      const repeated = [...rects, ...rects.filter(() => rand() < 0.5)];
      expectSameShares(shareMap(shuffle(repeated, rand)), shareMap(rects), `case ${i}`);
    }
  });

  it("a brand's mark inside its own larger mark adds nothing", () => {
    const rand = prng(5);
    for (let i = 0; i < CASES; i++) {
      const rects = randomRects(rand);
      const outer = rects[Math.floor(rand() * rects.length)];
      if (!outer) continue;
      const inner = {
        brandId: outer.brandId,
        x: outer.x + outer.width * 0.25,
        y: outer.y + outer.height * 0.25,
        width: outer.width * 0.5,
        height: outer.height * 0.5,
      };
      expectSameShares(shareMap([...rects, inner]), shareMap(rects), `case ${i}`);
    }
  });

  it("a brand alone has 100 % however its marks overlap", () => {
    const rand = prng(6);
    for (let i = 0; i < CASES; i++) {
      const rects = randomRects(rand).map((r) => ({ ...r, brandId: "solo" }));
      const { shares } = shelfShares(rects);
      expect(shares).toHaveLength(1);
      expect(Math.abs((shares[0]?.percentage ?? 0) - 100)).toBeLessThan(1e-9);
    }
  });

  it("two brands with disjoint marks of equal area split 50/50", () => {
    const rand = prng(7);
    for (let i = 0; i < CASES; i++) {
      const w = 0.05 + rand() * 0.45;
      const h = 0.05 + rand() * 0.95;
      const y = rand() * (1 - h);
      const shares = shareMap([
        { brandId: "a", x: 0, y, width: w, height: h },
        { brandId: "b", x: 1 - w, y: rand() * (1 - h), width: w, height: h },
      ]);
      expect(Math.abs((shares.get("a") ?? 0) - 50)).toBeLessThan(1e-9);
      expect(Math.abs((shares.get("b") ?? 0) - 50)).toBeLessThan(1e-9);
    }
  });

  it("two brands marking exactly the same area split it 50/50", () => {
    const rand = prng(8);
    for (let i = 0; i < CASES; i++) {
      const [x, y] = [rand() * 0.9, rand() * 0.9];
      const rect = {
        x,
        y,
        width: (1 - x) * Math.max(rand(), 0.01),
        height: (1 - y) * Math.max(rand(), 0.01),
      };
      const shares = shareMap([
        { brandId: "a", ...rect },
        { brandId: "b", ...rect },
      ]);
      expect(Math.abs((shares.get("a") ?? 0) - 50)).toBeLessThan(1e-9);
      expect(Math.abs((shares.get("b") ?? 0) - 50)).toBeLessThan(1e-9);
    }
  });

  it("a worked example: overlap split equally, a nested own mark ignored", () => {
    const { shares, markedArea } = shelfShares([
      { brandId: "a", x: 0, y: 0, width: 0.6, height: 0.5 },
      { brandId: "b", x: 0.3, y: 0, width: 0.7, height: 0.5 },
      { brandId: "a", x: 0, y: 0, width: 0.1, height: 0.1 },
    ]);
    // union 0.5; a alone 0.15, b alone 0.2, overlap 0.15 split → a 0.225 (45 %), b 0.275 (55 %).
    expect(markedArea).toBeCloseTo(0.5, 12);
    expect(shares.map((s) => s.brandId)).toEqual(["b", "a"]);
    expect(shares[0]?.percentage).toBeCloseTo(55, 9);
    expect(shares[1]?.percentage).toBeCloseTo(45, 9);
  });

  it("200 heavily overlapping marks of 200 brands (the largest request)", () => {
    const rand = prng(9);
    const rects = Array.from({ length: 200 }, (_, i) => {
      const x = rand() * 0.5;
      const y = rand() * 0.5;
      return { brandId: `brand-${i}`, x, y, width: 0.1 + rand() * 0.4, height: 0.1 + rand() * 0.4 };
    });
    const shares = shareMap(rects);
    expect(shares.size).toBe(200);
    expect(Math.abs([...shares.values()].reduce((s, v) => s + v, 0) - 100)).toBeLessThan(1e-9);
    expectSameShares(shareMap(shuffle(rects, rand)), shares, "shuffled");
  });
});
