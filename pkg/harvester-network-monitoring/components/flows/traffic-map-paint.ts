/**
 * Paints a traffic-map scene on a 2D canvas. Labels are drawn with fillText, so a hostile object
 * name is only ever pixels. Edges are batched by color and width (one stroke per batch instead
 * of one per edge), and edges, nodes and labels outside the canvas are skipped, so a frame of a
 * pan costs what is on screen. Label positions come from domain/flows/graph/labels.ts (placed once
 * per zoom, shifted by the pan here).
 */
import { GraphNodeKind } from '../../domain/flows/graph/graph';
import {
  Health, Positions, RING, Scene, Viewport
} from '../../domain/flows/graph/viewport';
import { PlacedLabel } from '../../domain/flows/graph/labels';

export interface MapColors {
  health: Record<Health, string>;
  kinds: Record<GraphNodeKind, string>;
  label: string;
  labelHalo: string;
  highlight: string;
}

/** Used when the theme's CSS variables cannot be read. */
export const FALLBACK_COLORS: MapColors = {
  health: {
    good: '#5d995d', warn: '#d9a33a', bad: '#c6433c', unknown: '#8e9aa6'
  },
  kinds: {
    namespace:        '#3d98d3',
    workload:         '#1f7a8c',
    vm:               '#7b5cc4',
    pod:              '#2f9e9e',
    service:          '#c26fb2',
    node:             '#6b7280',
    external:         '#d97b2b',
    'external-group': '#d97b2b',
  },
  label:     '#141419',
  labelHalo: 'rgba(255,255,255,0.85)',
  highlight: '#141419',
};

export const LABEL_FONT = '12px sans-serif';

export interface PaintInput {
  scene: Scene;
  positions: Positions;
  viewport: Viewport;
  /** CSS pixels. */
  width: number;
  height: number;
  /** devicePixelRatio used for the backing store. */
  pixelRatio: number;
  colors: MapColors;
  /** Placed labels in screen pixels without the pan (viewport.ts sceneLabels). */
  labels: readonly PlacedLabel[];
  hoverNode: number;
  hoverEdge: number;
  /** The node keyboard focus is on, -1 for none. */
  focusNode: number;
  /** Draw arrowheads (small maps only: they are noise in big ones). */
  arrows: boolean;
}

const WIDTH_STEP = 0.5;

/** The whole picture, straight onto the map's canvas (while the layout moves, or without a layer). */
export function paintScene(ctx: CanvasRenderingContext2D, input: PaintInput): void {
  paintBase(ctx, input, input.viewport, input.width, input.height);
  paintTop(ctx, input);
}

/** Edges, nodes and rings: what a pan only shifts. */
function paintBase(ctx: CanvasRenderingContext2D, input: PaintInput, v: Viewport, width: number, height: number): void {
  const {
    scene, positions: p, pixelRatio, colors
  } = input;
  // The world rectangle on screen, a little larger so thick strokes at the border are kept.
  const slack = 20 / v.k;
  const minX = -v.tx / v.k - slack;
  const minY = -v.ty / v.k - slack;
  const maxX = (width - v.tx) / v.k + slack;
  const maxY = (height - v.ty) / v.k + slack;
  const visible = (i: number) => {
    const r = scene.nodes[i].radius;

    return p.x[i] + r >= minX && p.x[i] - r <= maxX && p.y[i] + r >= minY && p.y[i] - r <= maxY;
  };

  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(pixelRatio * v.k, 0, 0, pixelRatio * v.k, pixelRatio * v.tx, pixelRatio * v.ty);
  ctx.lineCap = 'round';

  // Edges on screen (a segment whose bounding box misses the screen cannot cross it), one path per (health, width step).
  const batches = new Map<string, number[]>();

  scene.edges.forEach((e, i) => {
    const sx = p.x[e.source];
    const sy = p.y[e.source];
    const tx = p.x[e.target];
    const ty = p.y[e.target];

    if (Math.max(sx, tx) < minX || Math.min(sx, tx) > maxX || Math.max(sy, ty) < minY || Math.min(sy, ty) > maxY) {
      return;
    }
    const key = `${ e.health }|${ Math.round(e.width / WIDTH_STEP) }`;
    const list = batches.get(key);

    if (list) {
      list.push(i);
    } else {
      batches.set(key, [i]);
    }
  });
  ctx.globalAlpha = 0.75;
  batches.forEach((indices, key) => {
    const [health, step] = key.split('|');

    ctx.strokeStyle = colors.health[health as Health];
    ctx.lineWidth = Math.max(0.5, Number(step) * WIDTH_STEP) / Math.max(v.k, 0.25);
    ctx.beginPath();
    for (const i of indices) {
      const e = scene.edges[i];
      const sx = p.x[e.source];
      const sy = p.y[e.source];

      if (e.selfLoop) {
        const r = scene.nodes[e.source].radius;

        ctx.moveTo(sx + r * 0.9, sy - r);
        ctx.arc(sx, sy - r, r * 0.9, 0, Math.PI * 2);
      } else {
        ctx.moveTo(sx, sy);
        ctx.lineTo(p.x[e.target], p.y[e.target]);
      }
    }
    ctx.stroke();
  });
  ctx.globalAlpha = 1;

  if (input.arrows) {
    for (const e of scene.edges) {
      if (!e.selfLoop) {
        paintArrow(ctx, p, scene, e.source, e.target, colors.health[e.health], v.k);
      }
    }
  }
  // Nodes on screen, one path per kind.
  const kinds = new Map<GraphNodeKind, number[]>();

  for (let i = 0; i < scene.nodes.length; i++) {
    if (!visible(i)) {
      continue;
    }
    const kind = scene.nodes[i].kind;
    const list = kinds.get(kind);

    if (list) {
      list.push(i);
    } else {
      kinds.set(kind, [i]);
    }
  }
  kinds.forEach((indices, kind) => {
    ctx.fillStyle = colors.kinds[kind] ?? colors.kinds.node;
    ctx.beginPath();
    for (const i of indices) {
      const r = scene.nodes[i].radius;

      ctx.moveTo(p.x[i] + r, p.y[i]);
      ctx.arc(p.x[i], p.y[i], r, 0, Math.PI * 2);
    }
    ctx.fill();
  });
  // Groups that open get a ring, pods of an opened workload a dashed one.
  const ring = (i: number) => {
    const r = scene.nodes[i].radius + RING;

    ctx.moveTo(p.x[i] + r, p.y[i]);
    ctx.arc(p.x[i], p.y[i], r, 0, Math.PI * 2);
  };

  ctx.strokeStyle = colors.highlight;
  ctx.lineWidth = 1.5 / v.k;
  ctx.beginPath();
  kinds.forEach((indices) => indices.forEach((i) => scene.nodes[i].expandable && ring(i)));
  ctx.stroke();
  ctx.setLineDash([3 / v.k, 2 / v.k]);
  ctx.beginPath();
  kinds.forEach((indices) => indices.forEach((i) => scene.nodes[i].collapsible && ring(i)));
  ctx.stroke();
  ctx.setLineDash([]);
}

/** What changes without the picture moving: the hovered edge, hovered and focused nodes, labels. */
function paintTop(ctx: CanvasRenderingContext2D, input: PaintInput): void {
  const {
    scene, positions: p, viewport: v, width, height, pixelRatio, colors
  } = input;

  ctx.setTransform(pixelRatio * v.k, 0, 0, pixelRatio * v.k, pixelRatio * v.tx, pixelRatio * v.ty);
  ctx.strokeStyle = colors.highlight;
  if (input.hoverEdge >= 0 && input.hoverEdge < scene.edges.length) {
    const e = scene.edges[input.hoverEdge];

    ctx.lineWidth = (e.width + 2) / Math.max(v.k, 0.25);
    ctx.beginPath();
    ctx.moveTo(p.x[e.source], p.y[e.source]);
    ctx.lineTo(p.x[e.target], p.y[e.target]);
    ctx.stroke();
  }
  ctx.lineWidth = 3 / v.k;
  ctx.beginPath();
  for (const i of [input.hoverNode, input.focusNode]) {
    if (i >= 0 && i < scene.nodes.length) {
      const r = scene.nodes[i].radius + RING;

      ctx.moveTo(p.x[i] + r, p.y[i]);
      ctx.arc(p.x[i], p.y[i], r, 0, Math.PI * 2);
    }
  }
  ctx.stroke();

  // Labels in screen space, so text stays the same size at every zoom.
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = colors.labelHalo;
  ctx.fillStyle = colors.label;
  const emphasized = new Set([input.hoverNode, input.focusNode]);

  for (const l of input.labels) {
    const x = l.x + v.tx;
    const y = l.y + v.ty;

    if (x > width || x + l.w < 0 || y > height || y + l.h < 0 || emphasized.has(l.node)) {
      continue;
    }
    ctx.strokeText(l.text, x + 1, y + l.h / 2);
    ctx.fillText(l.text, x + 1, y + l.h / 2);
  }
  // The hovered and focused nodes' full labels, on a solid backdrop above everything else.
  for (const i of emphasized) {
    if (i >= 0 && i < scene.nodes.length && scene.nodes[i].label) {
      paintCallout(ctx, input, i);
    }
  }
}

/**
 * A pan at 1,000 nodes and 5,000 edges is slow when every frame draws every edge again (without a
 * GPU, rasterizing the long translucent strokes dominates the frame). The layer keeps edges, nodes
 * and rings drawn once, with `margin` pixels beyond each side of the canvas, for one zoom and one
 * picture (`version`); a pan within the margin copies it shifted and draws only labels and
 * highlights on top. Anything else (another zoom, a moved node, a bigger pan) draws the layer again.
 */
export class MapLayer {
  private canvas: HTMLCanvasElement | null = null;
  private drawn: { k: number; tx: number; ty: number; version: number; width: number; height: number; ratio: number } | null = null;

  constructor(private margin = 384) {}

  /** Paints `input` onto `ctx` through the layer; false when no offscreen canvas is available. */
  paint(ctx: CanvasRenderingContext2D, input: PaintInput, version: number): boolean {
    const { viewport: v, width, height, pixelRatio: ratio } = input;
    const m = this.margin;
    const d = this.drawn;
    const fresh = d && d.k === v.k && d.version === version && d.width === width && d.height === height && d.ratio === ratio &&
      Math.abs(v.tx - d.tx) <= m && Math.abs(v.ty - d.ty) <= m;

    if (!fresh) {
      this.canvas = this.canvas || (typeof document !== 'undefined' ? document.createElement('canvas') : null);
      const layer = this.canvas?.getContext?.('2d');

      if (!this.canvas || !layer) {
        return false;
      }
      this.canvas.width = Math.round((width + 2 * m) * ratio);
      this.canvas.height = Math.round((height + 2 * m) * ratio);
      paintBase(layer, input, { k: v.k, tx: v.tx + m, ty: v.ty + m }, width + 2 * m, height + 2 * m);
      this.drawn = {
        k: v.k, tx: v.tx, ty: v.ty, version, width, height, ratio
      };
    }
    const at = this.drawn as NonNullable<MapLayer['drawn']>;

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width * ratio, height * ratio);
    ctx.drawImage(this.canvas as HTMLCanvasElement, Math.round((m - (v.tx - at.tx)) * ratio), Math.round((m - (v.ty - at.ty)) * ratio), width * ratio, height * ratio, 0, 0, width * ratio, height * ratio);
    paintTop(ctx, input);

    return true;
  }

  /** Drops the drawn layer (e.g. the map was rebuilt). */
  reset(): void {
    this.drawn = null;
  }
}

function paintCallout(ctx: CanvasRenderingContext2D, input: PaintInput, i: number): void {
  const { scene, positions: p, viewport: v, colors } = input;
  const n = scene.nodes[i];
  const text = n.label;
  const w = ctx.measureText(text).width + 8;
  const h = 18;
  const cx = p.x[i] * v.k + v.tx;
  const cy = p.y[i] * v.k + v.ty;
  const r = n.outer * v.k + 4;
  // Right of the node, or left when it would leave the canvas.
  const x = cx + r + w <= input.width ? cx + r : Math.max(0, cx - r - w);
  const y = Math.min(Math.max(0, cy - h / 2), input.height - h);

  ctx.fillStyle = colors.labelHalo;
  ctx.strokeStyle = colors.highlight;
  ctx.lineWidth = 1;
  ctx.fillRect(x, y, w, h);
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.fillStyle = colors.label;
  ctx.fillText(text, x + 4, y + h / 2);
}

function paintArrow(ctx: CanvasRenderingContext2D, p: Positions, scene: Scene, s: number, t: number, color: string, k: number): void {
  const dx = p.x[t] - p.x[s];
  const dy = p.y[t] - p.y[s];
  const len = Math.sqrt(dx * dx + dy * dy);

  if (len < 1) {
    return;
  }
  const ux = dx / len;
  const uy = dy / len;
  const tipX = p.x[t] - ux * (scene.nodes[t].radius + 2 / k);
  const tipY = p.y[t] - uy * (scene.nodes[t].radius + 2 / k);
  const size = 7 / Math.max(k, 0.5);

  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(tipX, tipY);
  ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
  ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
  ctx.closePath();
  ctx.fill();
}

/** The theme's colors from CSS variables on `el`, falling back per value. */
export function readColors(el: Element | null): MapColors {
  if (!el || typeof getComputedStyle !== 'function') {
    return FALLBACK_COLORS;
  }
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const f = FALLBACK_COLORS;

  return {
    health: {
      good:    read('--success', f.health.good),
      warn:    read('--warning', f.health.warn),
      bad:     read('--error', f.health.bad),
      unknown: read('--muted', f.health.unknown),
    },
    kinds:     f.kinds,
    label:     read('--body-text', f.label),
    labelHalo: read('--body-bg', f.labelHalo),
    highlight: read('--body-text', f.highlight),
  };
}
