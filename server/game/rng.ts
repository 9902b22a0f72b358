/**
 * Seeded PRNG (mulberry32) whose whole state is one uint32 kept in the room state, so a game
 * replays exactly from its seed and a snapshot restores the sequence.
 */
export function nextRandom(state: number): [value: number, next: number] {
  const next = advance(state);
  return [valueAt(next), next];
}

const advance = (state: number): number => (state + 0x6d2b79f5) >>> 0;

function valueAt(next: number): number {
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A mutable cursor over the pure generator for code that draws many numbers in one step. */
export class Rng {
  constructor(public state: number) {}

  /** The same sequence as `nextRandom`, without a pair per number (a game's draw takes over a thousand). */
  next(): number {
    this.state = advance(this.state);
    return valueAt(this.state);
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const swapped = out[i]!;
      out[i] = out[j]!;
      out[j] = swapped;
    }
    return out;
  }
}
