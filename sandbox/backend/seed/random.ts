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
