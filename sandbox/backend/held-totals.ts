/**
 * The querier stand-in's held window totals (querier.ts windowTotals): per edge, the totals of its minutes over the
 * last range asked. They stand for rows ClickHouse has stored: the stand-in derives both flow_metrics tables
 * (`network_map`, and `network`'s two sides) from the same minutes of an edge, so a statement on one table finds
 * what a statement on the other computed for the same range. The sandbox answers on several threads; the totals
 * live in one SharedArrayBuffer every thread reads and writes, so a page's second statement over the range does not
 * compute every minute again on another thread.
 *
 * Each edge's slot is guarded by a version (a sequence lock): odd while a thread writes it. A reader copies the
 * slot and keeps the copy only if the version did not change; a writer that finds the slot taken skips storing.
 * Either way the caller has correct totals: what is not held is computed.
 *
 * Statements sent together (a page's edges and talkers) would otherwise each compute every edge's totals side by
 * side, neither finding what the other has not finished: they first fill the store together, each claiming the next
 * edges of the range that nobody has claimed (claim).
 */

/** Numbers before the totals in a slot: the range they are for (from, minutes, phases). */
const HEADER = 3;

/**
 * After the slots: the range being filled (2 numbers), then a lock, the next edge nobody has claimed and how many
 * edges the fill has (3 int32s).
 */
const FILL_BYTES = 2 * Float64Array.BYTES_PER_ELEMENT + 3 * Int32Array.BYTES_PER_ELEMENT;

export class HeldTotals {
  private readonly versions: Int32Array;
  private readonly slots: Float64Array;
  private readonly slotSize: number;
  private readonly fillRange: Float64Array;
  /** [lock, next unclaimed edge, edges in the fill] */
  private readonly fillCursor: Int32Array;

  /** `buffer` from another thread's store (HeldTotals.buffer), else a new one for `edges` edges. */
  constructor(readonly edges: number, readonly width: number, readonly buffer: SharedArrayBuffer | ArrayBuffer = HeldTotals.allocate(edges, width)) {
    this.slotSize = HEADER + width;
    this.versions = new Int32Array(buffer, 0, edges);
    this.slots = new Float64Array(buffer, HeldTotals.slotsOffset(edges), edges * this.slotSize);
    const fillOffset = HeldTotals.slotsOffset(edges) + edges * this.slotSize * Float64Array.BYTES_PER_ELEMENT;

    this.fillRange = new Float64Array(buffer, fillOffset, 2);
    this.fillCursor = new Int32Array(buffer, fillOffset + 2 * Float64Array.BYTES_PER_ELEMENT, 3);
  }

  /** Shared between threads where the runtime has SharedArrayBuffer, else private to this thread. */
  static allocate(edges: number, width: number): SharedArrayBuffer | ArrayBuffer {
    const bytes = HeldTotals.slotsOffset(edges) + edges * (HEADER + width) * Float64Array.BYTES_PER_ELEMENT + FILL_BYTES;
    const buffer = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

    new HeldTotals(edges, width, buffer).forget();

    return buffer;
  }

  private static slotsOffset(edges: number): number {
    return Math.ceil((edges * Int32Array.BYTES_PER_ELEMENT) / Float64Array.BYTES_PER_ELEMENT) * Float64Array.BYTES_PER_ELEMENT;
  }

  /**
   * Copies edge `index`'s totals for this range into `into`; false when none is held (or a thread is writing them),
   * `into` then holding nothing meaningful.
   */
  get(index: number, from: number, minutes: number, phases: number, into: Float64Array): boolean {
    const before = Atomics.load(this.versions, index);

    if (before & 1) {
      return false;
    }
    const at = index * this.slotSize;
    const s = this.slots;

    if (s[at] !== from || s[at + 1] !== minutes || s[at + 2] !== phases) {
      return false;
    }
    into.set(s.subarray(at + HEADER, at + this.slotSize));

    return Atomics.load(this.versions, index) === before;
  }

  /** Holds edge `index`'s totals for this range, unless another thread is writing its slot. */
  put(index: number, from: number, minutes: number, phases: number, totals: Float64Array): void {
    const version = Atomics.load(this.versions, index);

    if (version & 1 || Atomics.compareExchange(this.versions, index, version, version + 1) !== version) {
      return;
    }
    const at = index * this.slotSize;

    this.slots[at] = from;
    this.slots[at + 1] = minutes;
    this.slots[at + 2] = phases;
    this.slots.set(totals, at + HEADER);
    Atomics.store(this.versions, index, version + 2);
  }

  /**
   * The first of the next `size` edges (of `count`) to fill the totals of, for the range from `start` to `end`;
   * -1 when every edge of that range has been claimed. A claim for another range starts that range's fill once
   * the fill under way is claimed to its end, and is -1 until then: two statements whose ranges differ by a second
   * would otherwise start each other's fill over for ever. Its statement then computes what it finds unheld.
   */
  claim(start: number, end: number, size: number, count: number): number {
    return this.withFillLock(() => {
      const range = this.fillRange;
      const cursor = this.fillCursor;

      if (range[0] !== start || range[1] !== end) {
        if (cursor[1] < cursor[2]) {
          return -1;
        }
        range[0] = start;
        range[1] = end;
        cursor[1] = 0;
        cursor[2] = count;
      }
      const first = cursor[1];

      cursor[1] = Math.min(cursor[2], first + size);

      return first < cursor[2] ? first : -1;
    });
  }

  private withFillLock<T>(critical: () => T): T {
    while (Atomics.compareExchange(this.fillCursor, 0, 0, 1) !== 0) {
      // Another thread holds the lock for the few instructions of a claim.
    }
    try {
      return critical();
    } finally {
      Atomics.store(this.fillCursor, 0, 0);
    }
  }

  /** Holds nothing any more (no range has minutes -1), and no fill is under way (its range is NaN, which no claim's is). */
  forget(): void {
    this.withFillLock(() => {
      this.fillRange.fill(NaN);
      this.fillCursor[1] = 0;
      this.fillCursor[2] = 0;
    });
    for (let i = 0; i < this.edges; i++) {
      const version = Atomics.load(this.versions, i);

      if (!(version & 1) && Atomics.compareExchange(this.versions, i, version, version + 1) === version) {
        this.slots[i * this.slotSize + 1] = -1;
        Atomics.store(this.versions, i, version + 2);
      }
    }
  }
}
