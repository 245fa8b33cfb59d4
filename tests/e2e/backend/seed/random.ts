/** A small seeded PRNG (mulberry32): the same seed gives the same cluster and flows on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;

  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;

    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of a string (FNV-1a), for per-object deterministic variation. */
export function hashString(value: string): number {
  let h = 0x811c9dc5;

  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }

  return h >>> 0;
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** A pod-name suffix like Kubernetes generates (5 characters of [b-df-hj-np-tv-z2-9]). */
export function podSuffix(rand: () => number, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

  return Array.from({ length }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
}
