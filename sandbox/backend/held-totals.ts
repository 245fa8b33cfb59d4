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
 */

/** Numbers before the totals in a slot: the range they are for (from, minutes, phases). */
const HEADER = 3;

export class HeldTotals {
  private readonly versions: Int32Array;
  private readonly slots: Float64Array;
  private readonly slotSize: number;

  /** `buffer` from another thread's store (HeldTotals.buffer), else a new one for `edges` edges. */
  constructor(readonly edges: number, readonly width: number, readonly buffer: SharedArrayBuffer | ArrayBuffer = HeldTotals.allocate(edges, width)) {
    this.slotSize = HEADER + width;
    this.versions = new Int32Array(buffer, 0, edges);
    this.slots = new Float64Array(buffer, HeldTotals.slotsOffset(edges), edges * this.slotSize);
  }

  /** Shared between threads where the runtime has SharedArrayBuffer, else private to this thread. */
  static allocate(edges: number, width: number): SharedArrayBuffer | ArrayBuffer {
    const bytes = HeldTotals.slotsOffset(edges) + edges * (HEADER + width) * Float64Array.BYTES_PER_ELEMENT;
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

  /** Holds nothing any more (no range has minutes -1). */
  forget(): void {
    for (let i = 0; i < this.edges; i++) {
      const version = Atomics.load(this.versions, i);

      if (!(version & 1) && Atomics.compareExchange(this.versions, i, version, version + 1) === version) {
        this.slots[i * this.slotSize + 1] = -1;
        Atomics.store(this.versions, i, version + 2);
      }
    }
  }
}
