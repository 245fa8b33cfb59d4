import { carryPositions, createForceLayout } from '@pkg/domain/flows/graph/layout';

const ring = (n: number) => Array.from({ length: n }, (_, i) => ({ source: `n${ i }`, target: `n${ (i + 1) % n }` }));
const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${ i }`, weight: n - i, radius: 5 }));

function settle(layout: ReturnType<typeof createForceLayout>) {
  while (!layout.done()) {
    layout.tick();
  }
}

const dist = (l: ReturnType<typeof createForceLayout>, a: number, b: number) => Math.hypot(l.x[a] - l.x[b], l.y[a] - l.y[b]);

describe('force layout', () => {
  it('is deterministic', () => {
    const a = createForceLayout(nodes(30), ring(30));
    const b = createForceLayout(nodes(30), ring(30));

    settle(a);
    settle(b);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
  });

  it('settles in about 300 steps with finite positions', () => {
    const l = createForceLayout(nodes(50), ring(50));

    settle(l);
    expect(l.ticks).toBeGreaterThan(250);
    expect(l.ticks).toBeLessThan(350);
    expect(Array.from(l.x).every(Number.isFinite)).toBe(true);
    expect(Array.from(l.y).every(Number.isFinite)).toBe(true);
  });

  it('keeps nodes apart and pulls linked nodes closer than unlinked ones', () => {
    // Two clusters joined by one edge.
    const edges = [
      ...[[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [0, 3]].map(([a, b]) => ({ source: `n${ a }`, target: `n${ b }` })),
    ];
    const l = createForceLayout(nodes(6), edges);

    settle(l);
    for (let i = 0; i < 6; i++) {
      for (let j = i + 1; j < 6; j++) {
        expect(dist(l, i, j)).toBeGreaterThan(10);
      }
    }
    const within = (dist(l, 1, 2) + dist(l, 4, 5)) / 2;
    const across = (dist(l, 1, 4) + dist(l, 2, 5)) / 2;

    expect(within).toBeLessThan(across);
  });

  it('ignores self-loops, duplicate and reverse edges, and edges to unknown nodes', () => {
    const l = createForceLayout(nodes(3), [
      { source: 'n0', target: 'n1' }, { source: 'n1', target: 'n0' }, { source: 'n0', target: 'n1' }, { source: 'n2', target: 'n2' }, { source: 'n0', target: 'nope' },
    ]);

    expect(l.linkSource.length).toBe(1);
    expect(l.indexOf('n2')).toBe(2);
    expect(l.indexOf('nope')).toBe(-1);
  });

  it('separates nodes that start on the same spot', () => {
    const l = createForceLayout([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], []);

    l.pin(0, { x: 0, y: 0 });
    l.pin(1, { x: 0, y: 0 });
    l.pin(1, null);
    settle(l);
    expect(dist(l, 0, 1)).toBeGreaterThan(1);
  });

  it('handles an empty graph and a single node', () => {
    const empty = createForceLayout([], []);

    empty.tick();
    expect(empty.done()).toBe(true);
    const one = createForceLayout([{ id: 'a', weight: 0 }], []);

    settle(one);
    expect(Math.abs(one.x[0])).toBeLessThan(50);
  });

  it('keeps pinned nodes where they were put', () => {
    const l = createForceLayout(nodes(10), ring(10));

    l.pin(3, { x: 500, y: -500 });
    settle(l);
    expect(l.x[3]).toBe(500);
    expect(l.y[3]).toBe(-500);
  });

  it('runs in time slices: at least one step, then until the budget is spent', () => {
    const l = createForceLayout(nodes(10), ring(10));
    let t = 0;
    const clock = () => {
      t += 4;

      return t;
    };

    expect(l.run(0, clock)).toBe(1);
    // Each step costs 4 "ms" on this clock: a 20 ms budget allows about five.
    const steps = l.run(20, clock);

    expect(steps).toBeGreaterThanOrEqual(4);
    expect(steps).toBeLessThanOrEqual(6);
    l.reheat(0.5);
    expect(l.alpha).toBeGreaterThanOrEqual(0.5);
  });

  // Its speed is a benchmark figure (npm run bench), not asserted here.
  it('lays out 1,000 nodes and 5,000 edges to finite positions', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;

      return seed / 2147483647;
    };
    const edges = Array.from({ length: 5000 }, () => ({ source: `n${ Math.floor(rand() * 1000) }`, target: `n${ Math.floor(rand() * 1000) }` }));
    const l = createForceLayout(nodes(1000), edges);

    for (let i = 0; i < 30; i++) {
      l.tick();
    }
    expect(Array.from(l.x).every(Number.isFinite)).toBe(true);
  });

  it('leaves no two circles overlapping once settled, even when crowded', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;

      return seed / 2147483647;
    };
    const crowd = Array.from({ length: 300 }, (_, i) => ({ id: `n${ i }`, weight: rand(), radius: 4 + 14 * rand() }));
    const links = Array.from({ length: 1500 }, () => ({ source: `n${ Math.floor(rand() * rand() * 300) }`, target: `n${ Math.floor(rand() * 300) }` }));
    const l = createForceLayout(crowd, links, { padding: 6 });

    settle(l);
    for (let i = 0; i < crowd.length; i++) {
      for (let j = i + 1; j < crowd.length; j++) {
        expect(dist(l, i, j)).toBeGreaterThanOrEqual(crowd[i].radius + crowd[j].radius + 6);
      }
    }
  });

  it('spreads a wide view sideways', () => {
    const wide = createForceLayout(nodes(60), ring(60), { aspect: 3 });

    settle(wide);
    const span = (v: Float64Array) => Math.max(...v) - Math.min(...v);

    expect(span(wide.x)).toBeGreaterThan(span(wide.y) * 1.3);
  });

  it('starts from given positions, and carries positions over when a workload opens or folds', () => {
    const l = createForceLayout([{ id: 'a', weight: 1, start: { x: 500, y: -20 } }, { id: 'b', weight: 1 }], [], { alpha: 0 });

    expect([l.x[0], l.y[0]]).toEqual([500, -20]);
    const before = [{ id: 'w', group: 'w', x: 10, y: 20 }, { id: 'svc', x: -5, y: 5 }];
    const opened = carryPositions(before, [{ id: 'svc' }, { id: 'p1', group: 'w' }, { id: 'p2', group: 'w' }, { id: 'new' }]);

    expect(opened[0]).toEqual({ x: -5, y: 5 });
    expect(Math.hypot(opened[1]!.x - 10, opened[1]!.y - 20)).toBeLessThan(20);
    expect(opened[2]).not.toEqual(opened[1]);
    expect(opened[3]).toBeUndefined();
    const folded = carryPositions([{ id: 'p1', group: 'w', x: 0, y: 0 }, { id: 'p2', group: 'w', x: 10, y: 4 }], [{ id: 'w', group: 'w' }]);

    expect(folded[0]).toEqual({ x: 5, y: 2 });
  });
});
