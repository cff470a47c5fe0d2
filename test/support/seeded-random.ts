/**
 * A small seeded PRNG (mulberry32) for the suites that draw combinations of a server's options
 * (`*-independent-20.test.ts`): the same seed draws the same combinations on every run, so a
 * failing combination can be run again by its seed. Numbers in [0, 1), as Math.random gives them.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
