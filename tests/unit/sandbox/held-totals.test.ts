import { HeldTotals } from '../../../sandbox/backend/held-totals';

const totals = (seed: number) => Float64Array.from({ length: 4 }, (_, i) => seed + i);

/** What the store holds for the edge and range, or undefined. */
function heldOf(held: HeldTotals, index: number, from: number, minutes: number, phases: number): number[] | undefined {
  const into = new Float64Array(4);

  return held.get(index, from, minutes, phases, into) ? [...into] : undefined;
}

describe('the querier stand-in\'s held totals', () => {
  it('holds an edge\'s totals for one range', () => {
    const held = new HeldTotals(3, 4);

    expect(heldOf(held, 1, 600, 60, 60)).toBeUndefined();
    held.put(1, 600, 60, 60, totals(10));
    expect(heldOf(held, 1, 600, 60, 60)).toEqual([10, 11, 12, 13]);
    // Another range, another edge: not held.
    expect(heldOf(held, 1, 660, 60, 60)).toBeUndefined();
    expect(heldOf(held, 1, 600, 59, 59)).toBeUndefined();
    expect(heldOf(held, 0, 600, 60, 60)).toBeUndefined();
    held.put(1, 660, 60, 60, totals(20));
    expect(heldOf(held, 1, 600, 60, 60)).toBeUndefined();
    expect(heldOf(held, 1, 660, 60, 60)?.[0]).toBe(20);
  });

  it('forgets everything', () => {
    const held = new HeldTotals(2, 4);

    held.put(0, 600, 60, 60, totals(1));
    held.put(1, 600, 60, 60, totals(2));
    held.forget();
    expect([heldOf(held, 0, 600, 60, 60), heldOf(held, 1, 600, 60, 60)]).toEqual([undefined, undefined]);
  });

  it('is one memory for every store over the same buffer (each querier thread has one)', () => {
    const buffer = HeldTotals.allocate(2, 4);
    const first = new HeldTotals(2, 4, buffer);
    const second = new HeldTotals(2, 4, buffer);

    expect(buffer).toBeInstanceOf(SharedArrayBuffer);
    first.put(0, 600, 60, 60, totals(5));
    expect(heldOf(second, 0, 600, 60, 60)?.[3]).toBe(8);
    second.forget();
    expect(heldOf(first, 0, 600, 60, 60)).toBeUndefined();
  });

  it('neither reads nor writes a slot another thread is writing', () => {
    const buffer = HeldTotals.allocate(1, 4);
    const held = new HeldTotals(1, 4, buffer);
    const versions = new Int32Array(buffer, 0, 1);

    held.put(0, 600, 60, 60, totals(1));
    // Another thread's write in progress: the version is odd.
    versions[0] += 1;
    expect(heldOf(held, 0, 600, 60, 60)).toBeUndefined();
    held.put(0, 660, 60, 60, totals(9));
    versions[0] += 1;
    expect(heldOf(held, 0, 660, 60, 60)).toBeUndefined();
    expect(heldOf(held, 0, 600, 60, 60)?.[0]).toBe(1);
  });

  it('hands out each edge of a range once among the stores sharing it, and starts over for another range or after forgetting', () => {
    const buffer = HeldTotals.allocate(5, 4);
    const [first, second] = [new HeldTotals(5, 4, buffer), new HeldTotals(5, 4, buffer)];

    // Two threads filling the same range take turns at its edges, two at a time.
    expect([first.claim(600, 4200, 2, 5), second.claim(600, 4200, 2, 5), first.claim(600, 4200, 2, 5)]).toEqual([0, 2, 4]);
    expect([second.claim(600, 4200, 2, 5), first.claim(600, 4200, 2, 5)]).toEqual([-1, -1]);
    // Another range, once that fill is claimed to its end: its fill starts at the first edge.
    expect(second.claim(660, 4260, 2, 5)).toBe(0);
    expect(first.claim(660, 4260, 2, 5)).toBe(2);
    first.forget();
    expect(second.claim(660, 4260, 2, 5)).toBe(0);
  });

  it('keeps its fill apart from the totals it holds', () => {
    const held = new HeldTotals(2, 4);

    held.put(1, 600, 60, 60, totals(7));
    expect(held.claim(600, 4200, 2, 2)).toBe(0);
    expect(heldOf(held, 1, 600, 60, 60)).toEqual([7, 8, 9, 10]);
  });

  it('leaves a fill under way alone when a statement over another range claims: neither starts the other over', () => {
    const buffer = HeldTotals.allocate(6, 4);
    const [edges, talkers] = [new HeldTotals(6, 4, buffer), new HeldTotals(6, 4, buffer)];

    // The talkers' range ends a second later (their window was made a second later): they fill nothing.
    expect(edges.claim(600, 4200, 2, 6)).toBe(0);
    expect(talkers.claim(600, 4201, 2, 6)).toBe(-1);
    expect([edges.claim(600, 4200, 2, 6), edges.claim(600, 4200, 2, 6), edges.claim(600, 4200, 2, 6)]).toEqual([2, 4, -1]);
    expect(talkers.claim(600, 4201, 2, 6)).toBe(0);
  });
});
