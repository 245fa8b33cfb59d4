/**
 * Force-directed layout for the traffic map, written for this view (see TrafficMap.vue for why no
 * library): nodes repel each other (Barnes-Hut quadtree, O(n log n) per step), edges pull their
 * ends together like springs, and a weak gravity keeps disconnected parts on screen. Velocity
 * Verlet steps with a cooling "temperature" (alpha) make the layout settle in about 300 steps.
 * Circles never overlap once settled: every step pushes apart nodes closer than their radii plus
 * `padding` (a uniform grid finds the close pairs), and the last step repeats that until no pair is.
 *
 * The layout is deterministic (seeded start positions and jitter), has no DOM dependency, and
 * can be advanced in time slices (`run(budgetMs)`) so the browser draws between slices.
 * Positions live in typed arrays.
 */

export interface LayoutInputNode {
  id: string;
  /** Bigger nodes start nearer the centre. */
  weight: number;
  /** Drawn radius, used to keep linked nodes apart by more than their size. */
  radius?: number;
  /** Where to start (e.g. where the node was before the map changed); else a seeded spiral spot. */
  start?: { x: number; y: number };
}

export interface LayoutInputEdge {
  source: string;
  target: string;
}

export interface LayoutOptions {
  /** Repulsion between nodes (negative repels). */
  charge?: number;
  /** Rest length of an edge, added to the radii of its ends. */
  linkDistance?: number;
  /** Pull toward the origin, relative to distance. */
  gravity?: number;
  /** Barnes-Hut accuracy: larger is faster and coarser. */
  theta?: number;
  /** Fraction of velocity lost per step. */
  velocityDecay?: number;
  /** Steps until alpha falls from 1 to alphaMin. */
  iterations?: number;
  alphaMin?: number;
  /** Free space kept between two circles. */
  padding?: number;
  /** Starting temperature: lower keeps given start positions more in place. */
  alpha?: number;
  /** Width / height of the view: gravity pulls less sideways on a wide view, so the picture fills it. */
  aspect?: number;
}

export interface ForceLayout {
  readonly ids: readonly string[];
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Undirected, de-duplicated edges without self-loops, as index pairs. */
  readonly linkSource: Int32Array;
  readonly linkTarget: Int32Array;
  readonly alpha: number;
  readonly ticks: number;
  /** Cooled down: further steps would barely move anything. */
  done(): boolean;
  /** One simulation step. */
  tick(): void;
  /** Steps until `budgetMs` has passed (at least one step unless done); returns the steps taken. */
  run(budgetMs: number, now?: () => number): number;
  /** Warms the layout up again (e.g. after a node was dragged). */
  reheat(alpha?: number): void;
  /** Pushes overlapping circles apart, then spreads the picture out if needed, until none overlap; returns the passes taken. */
  separate(maxPasses?: number): number;
  /** Pins a node at a position (null releases it). */
  pin(index: number, at: { x: number; y: number } | null): void;
  indexOf(id: string): number;
}

const DEFAULTS: Required<LayoutOptions> = {
  charge:        -60,
  linkDistance:  40,
  gravity:       0.04,
  theta:         0.9,
  velocityDecay: 0.4,
  iterations:    300,
  alphaMin:      0.002,
  padding:       6,
  alpha:         1,
  aspect:        1,
};

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const MAX_DEPTH = 32;

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function seededRandom(seed = 1): () => number {
  let s = seed >>> 0;

  return () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;

    return s / 4294967296;
  };
}

/** A point-region quadtree over typed arrays, rebuilt every step. */
class QuadTree {
  // Per cell: bounds, mass and centre of mass, first child (4 consecutive cells) or -1, first point or -1.
  x0 = new Float64Array(0);
  y0 = new Float64Array(0);
  size = new Float64Array(0);
  mass = new Float64Array(0);
  cx = new Float64Array(0);
  cy = new Float64Array(0);
  child = new Int32Array(0);
  point = new Int32Array(0);
  depth = new Int32Array(0);
  cells = 0;
  /** Next point in the same leaf (coincident points, or at maximum depth). */
  nextPoint: Int32Array;

  constructor(n: number) {
    this.nextPoint = new Int32Array(n);
    this.grow(Math.max(16, n * 4));
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);

      next.set(old.subarray(0, this.cells) as any);

      return next;
    };
    const f = (n: number) => new Float64Array(n);
    const i = (n: number) => new Int32Array(n);

    this.x0 = copy(this.x0, f);
    this.y0 = copy(this.y0, f);
    this.size = copy(this.size, f);
    this.mass = copy(this.mass, f);
    this.cx = copy(this.cx, f);
    this.cy = copy(this.cy, f);
    this.child = copy(this.child, i);
    this.point = copy(this.point, i);
    this.depth = copy(this.depth, i);
  }

  private newCell(x0: number, y0: number, size: number, depth: number): number {
    if (this.cells + 4 > this.x0.length) {
      this.grow(this.x0.length * 2);
    }
    const c = this.cells++;

    this.x0[c] = x0;
    this.y0[c] = y0;
    this.size[c] = size;
    this.mass[c] = 0;
    this.cx[c] = 0;
    this.cy[c] = 0;
    this.child[c] = -1;
    this.point[c] = -1;
    this.depth[c] = depth;

    return c;
  }

  build(x: Float64Array, y: Float64Array, n: number): void {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;

    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, x[i]);
      minY = Math.min(minY, y[i]);
      maxX = Math.max(maxX, x[i]);
      maxY = Math.max(maxY, y[i]);
    }
    const size = Math.max(maxX - minX, maxY - minY, 1) * 1.0001;

    this.cells = 0;
    this.newCell(minX, minY, size, 0);
    for (let i = 0; i < n; i++) {
      this.insert(i, x, y);
    }
    this.accumulate(x, y);
  }

  private quadrant(c: number, px: number, py: number): number {
    const half = this.size[c] / 2;

    return (px >= this.x0[c] + half ? 1 : 0) + (py >= this.y0[c] + half ? 2 : 0);
  }

  private split(c: number): void {
    const half = this.size[c] / 2;
    const first = this.cells;

    for (let q = 0; q < 4; q++) {
      this.newCell(this.x0[c] + (q & 1 ? half : 0), this.y0[c] + (q & 2 ? half : 0), half, this.depth[c] + 1);
    }
    this.child[c] = first;
  }

  private insert(i: number, x: Float64Array, y: Float64Array): void {
    let c = 0;

    this.nextPoint[i] = -1;
    for (;;) {
      if (this.child[c] >= 0) {
        c = this.child[c] + this.quadrant(c, x[i], y[i]);
        continue;
      }
      const p = this.point[c];

      if (p < 0) {
        this.point[c] = i;

        return;
      }
      if ((x[p] === x[i] && y[p] === y[i]) || this.depth[c] >= MAX_DEPTH) {
        // Same spot (or too deep to separate): keep both in this leaf.
        this.nextPoint[i] = this.point[c];
        this.point[c] = i;

        return;
      }
      // Push the resident point(s) down one level and retry.
      this.point[c] = -1;
      this.split(c);
      for (let q = p; q >= 0;) {
        const next = this.nextPoint[q];
        const target = this.child[c] + this.quadrant(c, x[q], y[q]);

        this.nextPoint[q] = this.point[target];
        this.point[target] = q;
        q = next;
      }
    }
  }

  /** Mass (point count) and centre of mass per cell; children always follow their parent. */
  private accumulate(x: Float64Array, y: Float64Array): void {
    for (let c = this.cells - 1; c >= 0; c--) {
      let mass = 0;
      let sx = 0;
      let sy = 0;

      if (this.child[c] >= 0) {
        for (let q = 0; q < 4; q++) {
          const k = this.child[c] + q;

          mass += this.mass[k];
          sx += this.cx[k] * this.mass[k];
          sy += this.cy[k] * this.mass[k];
        }
      } else {
        for (let p = this.point[c]; p >= 0; p = this.nextPoint[p]) {
          mass += 1;
          sx += x[p];
          sy += y[p];
        }
      }
      this.mass[c] = mass;
      this.cx[c] = mass > 0 ? sx / mass : 0;
      this.cy[c] = mass > 0 ? sy / mass : 0;
    }
  }
}

export function createForceLayout(nodes: readonly LayoutInputNode[], edges: readonly LayoutInputEdge[], options: LayoutOptions = {}): ForceLayout {
  const o = { ...DEFAULTS, ...options };
  const n = nodes.length;
  const ids = nodes.map((node) => node.id);
  const indexById = new Map<string, number>();

  ids.forEach((id, i) => indexById.set(id, i));
  const radius = Float64Array.from(nodes, (node) => (Number.isFinite(node.radius) ? Math.max(0, node.radius as number) : 0));

  // Undirected, de-duplicated links: A->B and B->A pull once.
  const pairs = new Set<string>();
  const src: number[] = [];
  const dst: number[] = [];

  for (const e of edges) {
    const a = indexById.get(e.source);
    const b = indexById.get(e.target);

    if (a === undefined || b === undefined || a === b) {
      continue;
    }
    const key = a < b ? `${ a } ${ b }` : `${ b } ${ a }`;

    if (!pairs.has(key)) {
      pairs.add(key);
      src.push(a);
      dst.push(b);
    }
  }
  const linkSource = Int32Array.from(src);
  const linkTarget = Int32Array.from(dst);
  const m = linkSource.length;
  const degree = new Int32Array(n);

  for (let k = 0; k < m; k++) {
    degree[linkSource[k]]++;
    degree[linkTarget[k]]++;
  }
  // Springs on hubs are weaker so a hub is not yanked around by each of its many edges.
  const strength = new Float64Array(m);
  const bias = new Float64Array(m);
  const restLength = new Float64Array(m);

  for (let k = 0; k < m; k++) {
    const s = linkSource[k];
    const t = linkTarget[k];

    strength[k] = 1 / Math.min(degree[s], degree[t]);
    bias[k] = degree[s] / (degree[s] + degree[t]);
    restLength[k] = o.linkDistance + radius[s] + radius[t];
  }

  // Start on a sunflower spiral, heaviest nodes in the middle: no overlaps, and the same picture every time.
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const pinned = new Uint8Array(n);
  const order = ids.map((_, i) => i).sort((a, b) => (nodes[b].weight || 0) - (nodes[a].weight || 0) || (ids[a] < ids[b] ? -1 : 1));
  const spacing = Math.max(10, o.linkDistance / 2);

  order.forEach((i, rank) => {
    const r = spacing * Math.sqrt(0.5 + rank);
    const angle = rank * GOLDEN_ANGLE;

    const start = nodes[i].start;

    x[i] = start && Number.isFinite(start.x) && Number.isFinite(start.y) ? start.x : r * Math.cos(angle);
    y[i] = start && Number.isFinite(start.x) && Number.isFinite(start.y) ? start.y : r * Math.sin(angle);
  });

  const random = seededRandom(n * 7919 + m);
  const jiggle = () => (random() - 0.5) * 1e-6;
  const tree = new QuadTree(n);
  const theta2 = o.theta * o.theta;
  const alphaDecay = 1 - Math.pow(o.alphaMin, 1 / o.iterations);
  const stack = new Int32Array(MAX_DEPTH * 4 + 8);
  let alpha = Math.min(1, Math.max(0, o.alpha));
  let ticks = 0;

  function repel(i: number, a: number): void {
    const charge = o.charge * a;
    let top = 0;

    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top];
      const mass = tree.mass[c];

      if (mass === 0) {
        continue;
      }
      let dx = tree.cx[c] - x[i];
      let dy = tree.cy[c] - y[i];
      let l2 = dx * dx + dy * dy;
      const w = tree.size[c];

      if (tree.child[c] >= 0) {
        if ((w * w) / theta2 < l2) {
          // Far enough: the whole cell acts as one body at its centre of mass.
          const f = (charge * mass) / Math.max(l2, 1);

          vx[i] += dx * f;
          vy[i] += dy * f;
        } else {
          for (let q = 0; q < 4; q++) {
            stack[top++] = tree.child[c] + q;
          }
        }
        continue;
      }
      for (let p = tree.point[c]; p >= 0; p = tree.nextPoint[p]) {
        if (p === i) {
          continue;
        }
        dx = x[p] - x[i];
        dy = y[p] - y[i];
        if (dx === 0 && dy === 0) {
          dx = jiggle();
          dy = jiggle();
        }
        l2 = dx * dx + dy * dy;
        const f = charge / Math.max(l2, 1);

        vx[i] += dx * f;
        vy[i] += dy * f;
      }
    }
  }

  // Collision grid: cells as wide as the largest separation, so close pairs are in adjacent cells.
  const maxRadius = radius.reduce((a, r) => Math.max(a, r), 0);
  const cellSize = Math.max(1, 2 * maxRadius + o.padding);
  const nextInCell = new Int32Array(n);
  const cells = new Map<number, number>();
  const cellKey = (cx: number, cy: number) => cx * 73856093 + cy * 19349663;

  const cellX = new Int32Array(n);
  const cellY = new Int32Array(n);

  /**
   * One pass over the close pairs: each overlapping pair moves apart by `strength` of its overlap
   * (0 moves nothing). Returns how many pairs overlapped and the largest factor by which a pair's
   * distance falls short.
   */
  function collide(strength: number): { overlaps: number; worst: number } {
    cells.clear();
    for (let i = 0; i < n; i++) {
      cellX[i] = Math.floor(x[i] / cellSize);
      cellY[i] = Math.floor(y[i] / cellSize);
      const key = cellKey(cellX[i], cellY[i]);

      nextInCell[i] = cells.get(key) ?? -1;
      cells.set(key, i);
    }
    let overlaps = 0;
    let worst = 1;

    for (let i = 0; i < n; i++) {
      for (let ox = -1; ox <= 1; ox++) {
        for (let oy = -1; oy <= 1; oy++) {
          for (let j = cells.get(cellKey(cellX[i] + ox, cellY[i] + oy)) ?? -1; j >= 0; j = nextInCell[j]) {
            if (j <= i) {
              continue;
            }
            const min = radius[i] + radius[j] + o.padding;
            let dx = x[j] - x[i];
            let dy = y[j] - y[i];
            let d2 = dx * dx + dy * dy;

            if (d2 >= min * min) {
              continue;
            }
            overlaps++;
            if (d2 === 0) {
              // Same spot: separate along a seeded direction.
              dx = (random() - 0.5) || 0.1;
              dy = random() - 0.5;
              d2 = dx * dx + dy * dy;
              worst = Infinity;
            }
            const d = Math.sqrt(d2);

            worst = Math.max(worst, min / d);
            if (strength === 0) {
              continue;
            }
            const push = ((min - d) / d) * strength;
            const wi = pinned[i] ? 0 : pinned[j] ? 1 : 0.5;
            const wj = pinned[j] ? 0 : pinned[i] ? 1 : 0.5;

            x[i] -= dx * push * wi;
            y[i] -= dy * push * wi;
            x[j] += dx * push * wj;
            y[j] += dy * push * wj;
          }
        }
      }
    }

    return { overlaps, worst };
  }

  /**
   * Pushes overlapping pairs apart; what a few passes leave (dense clusters converge slowly) is
   * removed by spreading the whole picture out from its middle, which lengthens every distance by
   * the same factor and so cannot create new overlaps.
   */
  function separate(maxPasses = 30): number {
    let passes = 0;

    // A little beyond the overlap, so rounding never leaves two circles touching.
    while (passes < maxPasses && collide(1.001).overlaps > 0) {
      passes++;
    }
    for (let spread = 0; spread < 5; spread++) {
      const { overlaps, worst } = collide(0);

      if (overlaps === 0) {
        break;
      }
      let mx = 0;
      let my = 0;

      for (let i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
      }
      const f = Number.isFinite(worst) ? Math.min(worst * 1.001, 4) : 1;

      for (let i = 0; i < n; i++) {
        if (!pinned[i]) {
          x[i] = mx + (x[i] - mx) * f;
          y[i] = my + (y[i] - my) * f;
        }
      }
      collide(1.001);
      passes++;
    }

    return passes;
  }

  function tick(): void {
    if (n === 0) {
      alpha = 0;

      return;
    }
    const wasDone = done();

    alpha += (0 - alpha) * alphaDecay;
    ticks++;
    tree.build(x, y, n);
    for (let i = 0; i < n; i++) {
      repel(i, alpha);
    }
    for (let k = 0; k < m; k++) {
      const s = linkSource[k];
      const t = linkTarget[k];
      let dx = x[t] + vx[t] - x[s] - vx[s];
      let dy = y[t] + vy[t] - y[s] - vy[s];

      if (dx === 0 && dy === 0) {
        dx = jiggle();
        dy = jiggle();
      }
      const l = Math.sqrt(dx * dx + dy * dy);
      const f = ((l - restLength[k]) / l) * alpha * strength[k];

      dx *= f;
      dy *= f;
      vx[t] -= dx * bias[k];
      vy[t] -= dy * bias[k];
      vx[s] += dx * (1 - bias[k]);
      vy[s] += dy * (1 - bias[k]);
    }
    const keep = 1 - o.velocityDecay;
    const stretch = Math.sqrt(Math.min(4, Math.max(0.25, Number.isFinite(o.aspect) && o.aspect > 0 ? o.aspect : 1)));
    const gx = o.gravity / stretch;
    const gy = o.gravity * stretch;

    for (let i = 0; i < n; i++) {
      if (pinned[i]) {
        vx[i] = 0;
        vy[i] = 0;
        continue;
      }
      vx[i] = (vx[i] - x[i] * gx * alpha) * keep;
      vy[i] = (vy[i] - y[i] * gy * alpha) * keep;
      x[i] += vx[i];
      y[i] += vy[i];
    }
    collide(0.7);
    if (done() && !wasDone) {
      separate();
    }
  }

  function done(): boolean {
    return alpha < o.alphaMin;
  }
  const clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

  return {
    ids,
    x,
    y,
    linkSource,
    linkTarget,
    get alpha() {
      return alpha;
    },
    get ticks() {
      return ticks;
    },
    done,
    tick,
    run(budgetMs: number, now: () => number = clock): number {
      const start = now();
      let steps = 0;

      while (!done() && (steps === 0 || now() - start < budgetMs)) {
        tick();
        steps++;
      }

      return steps;
    },
    separate,
    reheat(to = 0.3) {
      alpha = Math.max(alpha, Math.min(1, to));
    },
    pin(index: number, at: { x: number; y: number } | null) {
      if (index < 0 || index >= n) {
        return;
      }
      pinned[index] = at ? 1 : 0;
      if (at) {
        x[index] = at.x;
        y[index] = at.y;
      }
    },
    indexOf(id: string) {
      return indexById.get(id) ?? -1;
    },
  };
}

export interface PlacedNode {
  id: string;
  /** The workload (workloads.ts workloadId) a workload node is or a shown pod belongs to. */
  group?: string;
}

/**
 * Start positions for a changed map from the previous one, so opening or folding a workload moves
 * little: kept nodes stay, a workload's pods start around where the workload was, and a folded
 * workload starts at the middle of its pods. Nodes with nothing to go by get no start.
 */
export function carryPositions(previous: readonly (PlacedNode & { x: number; y: number })[], next: readonly PlacedNode[]): ({ x: number; y: number } | undefined)[] {
  const byId = new Map(previous.map((p) => [p.id, p]));
  const groups = new Map<string, { x: number; y: number; n: number }>();

  for (const p of previous) {
    if (p.group && p.group !== p.id) {
      const g = groups.get(p.group) ?? { x: 0, y: 0, n: 0 };

      groups.set(p.group, { x: g.x + p.x, y: g.y + p.y, n: g.n + 1 });
    }
  }
  const around = new Map<string, number>();

  return next.map((node) => {
    const same = byId.get(node.id);

    if (same) {
      return { x: same.x, y: same.y };
    }
    const folded = node.group ? groups.get(node.group) : undefined;

    if (folded && node.group === node.id) {
      return { x: folded.x / folded.n, y: folded.y / folded.n };
    }
    const opened = node.group ? byId.get(node.group) : undefined;

    if (opened && node.group) {
      // Around the workload's spot on a small spiral; the collision pass spreads them out.
      const k = around.get(node.group) ?? 0;

      around.set(node.group, k + 1);

      return { x: opened.x + 12 * Math.sqrt(k + 1) * Math.cos(k * GOLDEN_ANGLE), y: opened.y + 12 * Math.sqrt(k + 1) * Math.sin(k * GOLDEN_ANGLE) };
    }

    return undefined;
  });
}
