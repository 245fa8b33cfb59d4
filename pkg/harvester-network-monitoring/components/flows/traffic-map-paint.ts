/**
 * Paints a traffic-map scene on a 2D canvas. Labels are drawn with fillText, so a hostile object
 * name is only ever pixels. Edges are batched by color and width (one stroke per batch instead
 * of one per edge), which keeps 5,000 edges to a few milliseconds per frame.
 */
import { GraphNodeKind } from '../../domain/flows/graph/graph';
import { Health, Positions, Scene, Viewport } from '../../domain/flows/graph/viewport';

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
  labelled: readonly number[];
  hoverNode: number;
  hoverEdge: number;
  /** Draw arrowheads (small maps only: they are noise in big ones). */
  arrows: boolean;
}

const WIDTH_STEP = 0.5;

export function paintScene(ctx: CanvasRenderingContext2D, input: PaintInput): void {
  const {
    scene, positions: p, viewport: v, width, height, pixelRatio, colors
  } = input;

  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(pixelRatio * v.k, 0, 0, pixelRatio * v.k, pixelRatio * v.tx, pixelRatio * v.ty);
  ctx.lineCap = 'round';

  // Edges, one path per (health, width step).
  const batches = new Map<string, number[]>();

  scene.edges.forEach((e, i) => {
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
  if (input.hoverEdge >= 0 && input.hoverEdge < scene.edges.length) {
    const e = scene.edges[input.hoverEdge];

    ctx.strokeStyle = colors.highlight;
    ctx.lineWidth = (e.width + 2) / Math.max(v.k, 0.25);
    ctx.beginPath();
    ctx.moveTo(p.x[e.source], p.y[e.source]);
    ctx.lineTo(p.x[e.target], p.y[e.target]);
    ctx.stroke();
  }

  // Nodes, one path per kind.
  const kinds = new Map<GraphNodeKind, number[]>();

  scene.nodes.forEach((n, i) => {
    const list = kinds.get(n.kind);

    if (list) {
      list.push(i);
    } else {
      kinds.set(n.kind, [i]);
    }
  });
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
  // Namespaces that can be opened get a ring.
  ctx.strokeStyle = colors.highlight;
  ctx.lineWidth = 1.5 / v.k;
  ctx.beginPath();
  scene.nodes.forEach((n, i) => {
    if (n.expandable || i === input.hoverNode) {
      ctx.moveTo(p.x[i] + n.radius + 2 / v.k, p.y[i]);
      ctx.arc(p.x[i], p.y[i], n.radius + 2 / v.k, 0, Math.PI * 2);
    }
  });
  ctx.stroke();

  // Labels in screen space, so text stays the same size at every zoom.
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = colors.labelHalo;
  ctx.fillStyle = colors.label;
  const labels = input.hoverNode >= 0 ? [...input.labelled, input.hoverNode] : input.labelled;

  for (const i of labels) {
    const n = scene.nodes[i];
    const sx = p.x[i] * v.k + v.tx + n.radius * v.k + 4;
    const sy = p.y[i] * v.k + v.ty;

    if (sx < -200 || sx > width + 10 || sy < -10 || sy > height + 10 || !n.label) {
      continue;
    }
    ctx.strokeText(n.label, sx, sy);
    ctx.fillText(n.label, sx, sy);
  }
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
