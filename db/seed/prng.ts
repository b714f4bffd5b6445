// The generator's randomness: the seeded PRNG every choice comes from, how a run's seed is mixed
// from the seed and a salt, and weighted picks. Nothing here may use Math.random: a fresh
// database must always receive the same data for a seed and "now".

/** mulberry32: tiny, fast and good enough for demo data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  digits(length: number): string {
    let out = "";
    while (out.length < length) out += String(this.u32() % 1_000_000_000).padStart(9, "0");
    return out.slice(0, length);
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.u32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}

export function mixSeed(seed: number, salt: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of [salt % 4294967296, Math.floor(salt / 4294967296)]) {
    h = Math.imul(h ^ part, 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

export class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let running = 0;
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      running += weight;
      this.items.push(item);
      this.cumulative.push(running);
    }
    if (!this.items.length) throw new Error("Weighted: no entries");
    this.total = running;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]) return this.items[i];
    return this.items[this.items.length - 1];
  }
}
