/**
 * Everything the traffic map draws, without drawing it: node sizes and labels, edge widths and
 * health colors (by RTT or retransmission rate), the pan/zoom viewport, hit-testing for clicks
 * and hovers, and which labels fit at the current zoom. The canvas component only paints this.
 */
import { GraphEdge, GraphNode, GraphNodeKind, TrafficGraph } from './graph';
import { displayText } from '../view/view-format';

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
  /** A namespace group that can be opened. */
  expandable: boolean;
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

    return {
      id:         node.id,
      kind:       node.kind,
      label:      displayText(node.label, 40),
      namespace:  node.namespace,
      radius:     nodeRadius(node.bytes, maxNodeBytes),
      node,
      expandable: node.kind === 'namespace' && node.namespace !== focusNamespace,
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

/**
 * Nodes that get a label at zoom `k`: all of them in small maps, otherwise the biggest ones, more
 * as the user zooms in (labels of 1,000 nodes at once are unreadable and slow to paint).
 */
export function labelledNodes(scene: Scene, k: number, smallMap = 60): number[] {
  if (scene.nodes.length <= smallMap) {
    return scene.byImportance;
  }
  const count = Math.max(10, Math.min(scene.nodes.length, Math.round(smallMap * k * k)));

  return scene.byImportance.slice(0, count);
}
