import {
  boxCircleOverlap, countOverlaps, placeLabels
} from '@pkg/domain/flows/graph/labels';

const measure = (text: string) => text.length * 7;
const area = {
  x: 0, y: 0, w: 400, h: 300
};

describe('label placement', () => {
  it('puts a label right of its node when there is room, else on another side', () => {
    const circles = [{ x: 100, y: 100, r: 10 }, { x: 260, y: 100, r: 10 }, { x: 380, y: 200, r: 10 }];
    const { labels, hidden } = placeLabels({
      circles, labels: ['first-node', 'second', 'at-the-edge'], order: [0, 1, 2], measure, area
    });

    expect(hidden).toEqual([]);
    expect(labels[0]).toMatchObject({ node: 0, text: 'first-node', x: 114 });
    expect(labels[1]).toMatchObject({ node: 1, x: 274 });
    // No room right of a node at the area's edge: left of it.
    expect(labels[2].x + labels[2].w).toBeLessThanOrEqual(366);
    expect(countOverlaps(circles, labels)).toEqual({ nodeNode: 0, labelLabel: 0, labelNode: 0 });
  });

  it('shortens a label by graphemes when only a short one fits, and leaves out one that fits nowhere', () => {
    // A node boxed in by neighbours: nothing fits; one next to the area's edge: only a short form fits.
    const boxedIn = [{ x: 200, y: 150, r: 6 }, ...[[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, 1], [-1, 1], [1, -1]].map(([dx, dy]) => ({ x: 200 + dx * 20, y: 150 + dy * 20, r: 6 }))];
    const edge = { x: 350, y: 20, r: 6 };
    const circles = [...boxedIn, edge];
    const texts = ['boxed', ...boxedIn.slice(1).map(() => ''), '👩‍👩‍👧‍👦 family-of-a-very-long-name-that-no-side-of-the-node-has-room-for'];
    const { labels, hidden } = placeLabels({
      circles, labels: texts, order: circles.map((_, i) => i), measure, area
    });

    expect(hidden).toContain(0);
    const placed = labels.find((l) => l.node === circles.length - 1)!;

    expect(placed.shortened).toBe(true);
    expect(placed.text.endsWith('\u2026')).toBe(true);
    expect(placed.text.startsWith('👩‍👩‍👧‍👦')).toBe(true);
    expect(countOverlaps(circles, labels)).toEqual({ nodeNode: 0, labelLabel: 0, labelNode: 0 });
  });

  it('never overlaps anything in a crowded random picture, and respects the label limit', () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;

      return seed / 2147483647;
    };
    const circles = Array.from({ length: 150 }, () => ({ x: rand() * 400, y: rand() * 300, r: 3 + rand() * 6 }));
    const { labels, hidden } = placeLabels({
      circles, labels: circles.map((_, i) => `endpoint-number-${ i }`), order: circles.map((_, i) => i), measure, area
    });

    expect(labels.length).toBeGreaterThan(10);
    expect(labels.length + hidden.length).toBeLessThanOrEqual(150);
    expect(countOverlaps([], labels).labelLabel).toBe(0);
    expect(labels.every((l) => circles.every((c) => !boxCircleOverlap(l, c)))).toBe(true);
    expect(labels.every((l) => l.x >= 0 && l.y >= 0 && l.x + l.w <= 400 && l.y + l.h <= 300)).toBe(true);
    expect(placeLabels({
      circles, labels: circles.map(() => 'x'), order: circles.map((_, i) => i), measure, area, maxLabels: 5
    }).labels).toHaveLength(5);
  });

  it('counts overlapping pairs', () => {
    expect(countOverlaps([{ x: 0, y: 0, r: 5 }, { x: 8, y: 0, r: 5 }, { x: 100, y: 0, r: 5 }], [{
      x: 2, y: -2, w: 10, h: 4
    }, {
      x: 5, y: 0, w: 10, h: 4
    }])).toEqual({ nodeNode: 1, labelLabel: 1, labelNode: 3 });
  });
});
