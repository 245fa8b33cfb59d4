/**
 * Everything the traffic map draws, without drawing it: node sizes and labels, edge widths and
 * health colors (by RTT or retransmission rate), the pan/zoom viewport, hit-testing for clicks
 * and hovers, keyboard moves between nodes, and where labels go at the current zoom (labels.ts).
 * The canvas component only paints this.
 */
import { GraphEdge, GraphNode, GraphNodeKind, TrafficGraph } from './graph';
import { displayText } from '../view/view-format';
import { Circle, LabelPlacement, placeLabels } from './labels';
import { ForceLayout, LayoutOptions, createForceLayout } from './layout';

export type EdgeColorMode = 'rtt' | 'retrans';
export type Health = 'good' | 'warn' | 'bad' | 'unknown';

/** Thresholds for edge colors: RTT in microseconds, retransmissions per packet. */
export const HEALTH_THRESHOLDS = {
  rtt:     { warn: 2_000, bad: 20_000 },
  retrans: { warn: 0.005, bad: 0.02 },
} as const;

export function edgeHealth(edge: Pick<GraphEdge, 'rttUs' | 'retransRate'>, mode: EdgeColorMode): Health {
  const value = mode === 'rtt' ? edge.rttUs : edge.retransRate;
  const t = HEALTH_THRESHOLDS[mode];

  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'unknown';
  }

  return value >= t.bad ? 'bad' : value >= t.warn ? 'warn' : 'good';
}

/** Gap between a node and the ring around groups (world units: it zooms with the node). */
export const RING = 3;
const MIN_RADIUS = 4;
const MAX_RADIUS = 18;
const MIN_WIDTH = 0.6;
const MAX_WIDTH = 6;

/** Logarithmic: a 1,000x bigger talker is visibly bigger without dwarfing everything else. */
function logShare(value: number, max: number): number {
  return max > 0 && value > 0 ? Math.log1p(value) / Math.log1p(max) : 0;
}

export function nodeRadius(bytes: number, maxBytes: number): number {
  return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * logShare(bytes, maxBytes);
}

export function edgeWidth(bytes: number, maxBytes: number): number {
  return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * logShare(bytes, maxBytes);
}

export interface SceneNode {
  id: string;
  kind: GraphNodeKind;
  /** Safe display text (see displayText). */
  label: string;
  namespace: string;
  radius: number;
  node: GraphNode;
  /** A namespace or workload group that can be opened. */
  expandable: boolean;
  /** A pod of an expanded workload: activating it folds the workload back. */
  collapsible: boolean;
  /** Radius with the ring drawn around groups and pods of opened workloads: what must not overlap. */
  outer: number;
}

export interface SceneEdge {
  source: number;
  target: number;
  width: number;
  health: Health;
  selfLoop: boolean;
  edge: GraphEdge;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
  /** Node indices from biggest to smallest (label priority). */
  byImportance: number[];
}

export function buildScene(graph: TrafficGraph, mode: EdgeColorMode, focusNamespace = ''): Scene {
  const maxNodeBytes = graph.nodes.reduce((m, n) => Math.max(m, n.bytes), 0);
  const maxEdgeBytes = graph.edges.reduce((m, e) => Math.max(m, e.bytes), 0);
  const index = new Map<string, number>();
  const nodes = graph.nodes.map((node, i): SceneNode => {
    index.set(node.id, i);
    const radius = nodeRadius(node.bytes, maxNodeBytes);
    const expandable = (node.kind === 'namespace' && node.namespace !== focusNamespace) || node.kind === 'workload';
    const collapsible = node.kind !== 'workload' && !!node.workload;

    return {
      id:          node.id,
      kind:        node.kind,
      label:       displayText(node.label, 40),
      namespace:   node.namespace,
      radius,
      node,
      expandable,
      collapsible,
      outer:       radius + (expandable || collapsible ? RING : 0),
    };
  });
  const edges: SceneEdge[] = [];

  for (const edge of graph.edges) {
    const source = index.get(edge.source);
    const target = index.get(edge.target);

    if (source !== undefined && target !== undefined) {
      edges.push({
        source, target, width: edgeWidth(edge.bytes, maxEdgeBytes), health: edgeHealth(edge, mode), selfLoop: edge.selfLoop, edge
      });
    }
  }
  // Thin edges first so heavy ones are painted on top.
  edges.sort((a, b) => a.width - b.width);
  const byImportance = nodes.map((_, i) => i).sort((a, b) => nodes[b].node.bytes - nodes[a].node.bytes);

  return { nodes, edges, byImportance };
}

/** Up to this many nodes, the layout keeps room for labels between circles. */
const ROOMY_MAX_NODES = 100;

/** The force layout of a scene: circles with their rings kept apart, optional start positions per node. */
export function sceneLayout(scene: Scene, starts: readonly ({ x: number; y: number } | undefined)[] = [], options: LayoutOptions = {}): ForceLayout {
  const padding = scene.nodes.length <= ROOMY_MAX_NODES ? 16 : 6;

  return createForceLayout(
    scene.nodes.map((n, i) => ({
      id: n.id, weight: n.node.bytes, radius: n.outer, start: starts[i]
    })),
    scene.edges.map((e) => ({ source: scene.nodes[e.source].id, target: scene.nodes[e.target].id })),
    { padding, ...options }
  );
}

/** Recolors edges for another mode without rebuilding the scene. */
export function recolor(scene: Scene, mode: EdgeColorMode): void {
  for (const e of scene.edges) {
    e.health = edgeHealth(e.edge, mode);
  }
}

// ---------------------------------------------------------------------------------------------
// Viewport: screen = world * k + (tx, ty)

export interface Viewport {
  tx: number;
  ty: number;
  k: number;
}

export const ZOOM_LIMITS = { min: 0.05, max: 8 } as const;

export interface Positions {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export function worldBounds(p: Positions, radii: readonly number[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;

  for (let i = 0; i < radii.length; i++) {
    minX = Math.min(minX, p.x[i] - radii[i]);
    minY = Math.min(minY, p.y[i] - radii[i]);
    maxX = Math.max(maxX, p.x[i] + radii[i]);
    maxY = Math.max(maxY, p.y[i] + radii[i]);
  }

  return Number.isFinite(minX) ? {
    minX, minY, maxX, maxY
  } : {
    minX: -1, minY: -1, maxX: 1, maxY: 1
  };
}

/** The viewport that shows every node with `padding` pixels around, never zoomed in past 1.5x. */
export function fitViewport(p: Positions, radii: readonly number[], width: number, height: number, padding = 30): Viewport {
  const b = worldBounds(p, radii);
  const w = Math.max(1, b.maxX - b.minX);
  const h = Math.max(1, b.maxY - b.minY);
  const k = clampZoom(Math.min((width - 2 * padding) / w, (height - 2 * padding) / h, 1.5));

  return { k, tx: width / 2 - ((b.minX + b.maxX) / 2) * k, ty: height / 2 - ((b.minY + b.maxY) / 2) * k };
}

export function clampZoom(k: number): number {
  return Math.min(ZOOM_LIMITS.max, Math.max(ZOOM_LIMITS.min, Number.isFinite(k) && k > 0 ? k : 1));
}

/** Zooms by `factor` keeping the world point under (px, py) in place. */
export function zoomAround(v: Viewport, factor: number, px: number, py: number): Viewport {
  const k = clampZoom(v.k * factor);
  const wx = (px - v.tx) / v.k;
  const wy = (py - v.ty) / v.k;

  return { k, tx: px - wx * k, ty: py - wy * k };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, tx: v.tx + dx, ty: v.ty + dy };
}

export function toWorld(v: Viewport, px: number, py: number): { x: number; y: number } {
  return { x: (px - v.tx) / v.k, y: (py - v.ty) / v.k };
}

// ---------------------------------------------------------------------------------------------
// Hit-testing (screen coordinates)

const HIT_SLOP_PX = 3;

/** The node under (px, py), the nearest one when several overlap; -1 for none. */
export function nodeAt(scene: Scene, p: Positions, v: Viewport, px: number, py: number): number {
  const w = toWorld(v, px, py);
  let best = -1;
  let bestDistance = Infinity;

  for (let i = 0; i < scene.nodes.length; i++) {
    const dx = p.x[i] - w.x;
    const dy = p.y[i] - w.y;
    const d = Math.sqrt(dx * dx + dy * dy);
    const reach = scene.nodes[i].radius + HIT_SLOP_PX / v.k;

    if (d <= reach && d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }

  return best;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const cx = ax + t * dx - px;
  const cy = ay + t * dy - py;

  return Math.sqrt(cx * cx + cy * cy);
}

/** The edge under (px, py) (self-loops excluded), the nearest one; -1 for none. */
export function edgeAt(scene: Scene, p: Positions, v: Viewport, px: number, py: number): number {
  const w = toWorld(v, px, py);
  let best = -1;
  let bestDistance = Infinity;

  for (let i = 0; i < scene.edges.length; i++) {
    const e = scene.edges[i];

    if (e.selfLoop) {
      continue;
    }
    const d = segmentDistance(w.x, w.y, p.x[e.source], p.y[e.source], p.x[e.target], p.y[e.target]);

    if (d <= (e.width / 2 + HIT_SLOP_PX) / v.k && d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }

  return best;
}

/** Node circles on screen at zoom `k`, without the pan (tx = ty = 0), rings included. */
export function screenCircles(scene: Scene, p: Positions, k: number): Circle[] {
  return scene.nodes.map((n, i) => ({ x: p.x[i] * k, y: p.y[i] * k, r: n.outer * k }));
}

/** Room kept around the layout for labels: more than a label's height, less than fitViewport's padding. */
export const LABEL_ROOM_PX = 24;
const VIEW_MARGIN_PX = 8;

/**
 * The labels at zoom `k`, biggest nodes first, in screen pixels without the pan (add the viewport's
 * tx, ty to draw them): the same for every pan, so dragging the map never moves or re-places them.
 * They stay within the layout's bounds plus LABEL_ROOM_PX, or the `view` size around the layout's
 * middle when that is larger, both of which fitViewport keeps on screen.
 */
const labelForms = new WeakMap<Scene, Map<number, readonly string[]>>();

export function sceneLabels(scene: Scene, p: Positions, k: number, measure: (text: string) => number, view = { width: 0, height: 0 }): LabelPlacement {
  const circles = screenCircles(scene, p, k);
  let formsCache = labelForms.get(scene);

  if (!formsCache) {
    formsCache = new Map();
    labelForms.set(scene, formsCache);
  }
  const b = worldBounds(p, scene.nodes.map((n) => n.outer));
  // At least the view (less a margin) around the layout's middle: where fitViewport puts the middle.
  const w = Math.max((b.maxX - b.minX) * k + 2 * LABEL_ROOM_PX, view.width - 2 * VIEW_MARGIN_PX);
  const h = Math.max((b.maxY - b.minY) * k + 2 * LABEL_ROOM_PX, view.height - 2 * VIEW_MARGIN_PX);

  return placeLabels({
    circles,
    labels: scene.nodes.map((n) => n.label),
    order:  scene.byImportance,
    measure,
    formsCache,
    area:   {
      x: (b.minX + b.maxX) / 2 * k - w / 2, y: (b.minY + b.maxY) / 2 * k - h / 2, w, h
    },
  });
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The node a keyboard user reaches from `from` with an arrow key: the nearest one in that direction
 * (within a 90 degree cone, distance along the direction weighted over the side distance); from no
 * node (-1), the most important one. -1 when there is none in that direction.
 */
export function nodeInDirection(scene: Scene, p: Positions, from: number, direction: Direction): number {
  if (from < 0 || from >= scene.nodes.length) {
    return scene.byImportance[0] ?? -1;
  }
  const [ux, uy] = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] }[direction];
  let best = -1;
  let bestScore = Infinity;

  for (let i = 0; i < scene.nodes.length; i++) {
    const dx = p.x[i] - p.x[from];
    const dy = p.y[i] - p.y[from];
    const along = dx * ux + dy * uy;
    const side = Math.abs(dx * uy - dy * ux);

    if (i === from || along <= 0 || side > along) {
      continue;
    }
    const score = along + 2 * side;

    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }

  return best;
}
