/**
 * Where the traffic map's labels go, in screen pixels: each label takes the first spot around its
 * node (right, left, above, below, then the diagonals) that stays inside the area and covers no
 * node circle and no label placed before it. Labels are placed in importance order; a label with no
 * free spot is tried again shortened (by whole graphemes, domain/text.ts), and otherwise left out:
 * the view shows it on hover and keyboard focus. So a drawn label never covers another label or a
 * node, at any zoom; how many fit is what the layout's spacing decides.
 * Placement does not depend on the pan (only on node positions and zoom), so a pan reuses it.
 */
import { shorten } from '../../text';

export interface Circle {
  x: number;
  y: number;
  r: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedLabel extends Box {
  node: number;
  text: string;
  /** Shorter than the node's label. */
  shortened: boolean;
}

export interface LabelPlacementInput {
  /** Node circles in screen pixels (index = node). */
  circles: readonly Circle[];
  /** Label per node ('' for none). */
  labels: readonly string[];
  /** Node indices, most important first. */
  order: readonly number[];
  /** Text width in pixels. */
  measure: (text: string) => number;
  /** Where labels may go (e.g. the canvas), screen pixels. */
  area: Box;
  /** Line height of a label. */
  lineHeight?: number;
  /** Space between a label and its node. */
  gap?: number;
  /** Free space around every label and circle. */
  margin?: number;
  /** Shorter forms tried when the full text has no room, in graphemes. */
  shortForms?: readonly number[];
  /** Cache of each node's label forms (full first), kept by the caller between placements. */
  formsCache?: Map<number, readonly string[]>;
  /** At most this many labels (hundreds of labels at once are unreadable and slow to paint and place). */
  maxLabels?: number;
}

export interface LabelPlacement {
  labels: PlacedLabel[];
  /** Nodes whose label found no room (shown on hover or focus). */
  hidden: number[];
}

/** A uniform grid over boxes and circles, so each test looks at a few neighbours only. */
class Grid {
  private cells = new Map<number, number[]>();
  private boxes: Box[] = [];
  private circles: Circle[] = [];

  constructor(private size: number) {}

  /** Items are numbered: boxes >= 0, circles < 0 (-1 - index). */
  private add(item: number, x0: number, y0: number, x1: number, y1: number): void {
    const s = this.size;

    for (let cx = Math.floor(x0 / s); cx <= Math.floor(x1 / s); cx++) {
      for (let cy = Math.floor(y0 / s); cy <= Math.floor(y1 / s); cy++) {
        const key = cx * 92837111 + cy * 689287499;
        const list = this.cells.get(key);

        if (list) {
          list.push(item);
        } else {
          this.cells.set(key, [item]);
        }
      }
    }
  }

  addBox(b: Box): void {
    this.boxes.push(b);
    this.add(this.boxes.length - 1, b.x, b.y, b.x + b.w, b.y + b.h);
  }

  addCircle(c: Circle): void {
    this.circles.push(c);
    this.add(-this.circles.length, c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r);
  }

  collides(b: Box, margin: number): boolean {
    const s = this.size;
    const x1 = Math.floor((b.x + b.w + margin) / s);
    const y1 = Math.floor((b.y + b.h + margin) / s);

    for (let cx = Math.floor((b.x - margin) / s); cx <= x1; cx++) {
      for (let cy = Math.floor((b.y - margin) / s); cy <= y1; cy++) {
        const list = this.cells.get(cx * 92837111 + cy * 689287499);

        if (!list) {
          continue;
        }
        for (let i = 0; i < list.length; i++) {
          const item = list[i];

          if (item >= 0 ? boxesOverlap(b, this.boxes[item], margin) : boxCircleOverlap(b, this.circles[-item - 1], margin)) {
            return true;
          }
        }
      }
    }

    return false;
  }
}

export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;
}

export function boxCircleOverlap(b: Box, c: Circle, margin = 0): boolean {
  const nx = Math.max(b.x, Math.min(c.x, b.x + b.w));
  const ny = Math.max(b.y, Math.min(c.y, b.y + b.h));
  const dx = c.x - nx;
  const dy = c.y - ny;
  const reach = c.r + margin;

  return dx * dx + dy * dy < reach * reach;
}

export function circlesOverlap(a: Circle, b: Circle, margin = 0): boolean {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const reach = a.r + b.r + margin;

  return dx * dx + dy * dy < reach * reach;
}

/** Spots around a circle for a w x h label, in the order they are tried. */
function spots(c: Circle, w: number, h: number, gap: number): Box[] {
  const right = c.x + c.r + gap;
  const left = c.x - c.r - gap - w;
  const middle = c.y - h / 2;
  const d = (c.r + gap) * Math.SQRT1_2;

  return [
    {
      x: right, y: middle, w, h
    },
    {
      x: left, y: middle, w, h
    },
    {
      x: c.x - w / 2, y: c.y - c.r - gap - h, w, h
    },
    {
      x: c.x - w / 2, y: c.y + c.r + gap, w, h
    },
    {
      x: c.x + d, y: c.y - d - h, w, h
    },
    {
      x: c.x + d, y: c.y + d, w, h
    },
    {
      x: c.x - d - w, y: c.y - d - h, w, h
    },
    {
      x: c.x - d - w, y: c.y + d, w, h
    },
  ];
}

const inside = (b: Box, area: Box) => b.x >= area.x && b.y >= area.y && b.x + b.w <= area.x + area.w && b.y + b.h <= area.y + area.h;

const intersects = (c: Circle, area: Box) => c.x + c.r >= area.x && c.x - c.r <= area.x + area.w && c.y + c.r >= area.y && c.y - c.r <= area.y + area.h;

export function placeLabels(input: LabelPlacementInput): LabelPlacement {
  const lineHeight = input.lineHeight ?? 14;
  const gap = input.gap ?? 4;
  const margin = input.margin ?? 2;
  const shortForms = input.shortForms ?? [24, 16, 8];
  const maxLabels = input.maxLabels ?? 300;
  const { circles, area } = input;
  const grid = new Grid(Math.max(16, lineHeight * 3));

  // Every node in (or near) the area is an obstacle, labelled or not.
  for (const c of circles) {
    if (intersects(c, {
      x: area.x - 200, y: area.y - 200, w: area.w + 400, h: area.h + 400
    })) {
      grid.addCircle(c);
    }
  }
  const labels: PlacedLabel[] = [];
  const hidden: number[] = [];

  for (const node of input.order) {
    const full = input.labels[node];
    const c = circles[node];

    if (!full || !c || !intersects(c, area)) {
      continue;
    }
    let placed: PlacedLabel | null = null;

    if (labels.length < maxLabels) {
      let forms = input.formsCache?.get(node);

      if (!forms) {
        forms = [full, ...shortForms.map((n) => shorten(full, n)).filter((t, i, all) => t !== full && all.indexOf(t) === i)];
        input.formsCache?.set(node, forms);
      }

      for (const text of forms) {
        const w = Math.ceil(input.measure(text)) + 2;
        const spot = spots(c, w, lineHeight, gap).find((b) => inside(b, area) && !grid.collides(b, margin));

        if (spot) {
          placed = {
            ...spot, node, text, shortened: text !== full
          };
          break;
        }
      }
    }
    if (placed) {
      grid.addBox(placed);
      labels.push(placed);
    } else {
      hidden.push(node);
    }
  }

  return { labels, hidden };
}

export interface OverlapCount {
  nodeNode: number;
  labelLabel: number;
  labelNode: number;
}

/** Pairs that overlap (brute force: for checks and benchmarks of at most a few hundred items). */
export function countOverlaps(circles: readonly Circle[], boxes: readonly Box[]): OverlapCount {
  const out = { nodeNode: 0, labelLabel: 0, labelNode: 0 };

  for (let i = 0; i < circles.length; i++) {
    for (let j = i + 1; j < circles.length; j++) {
      out.nodeNode += circlesOverlap(circles[i], circles[j]) ? 1 : 0;
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      out.labelLabel += boxesOverlap(boxes[i], boxes[j]) ? 1 : 0;
    }
    for (const c of circles) {
      out.labelNode += boxCircleOverlap(boxes[i], c) ? 1 : 0;
    }
  }

  return out;
}
