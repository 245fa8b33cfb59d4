import { enrichEdges } from '@pkg/domain/flows/enrichment/aggregate';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import {
  HEALTH_THRESHOLDS, buildScene, clampZoom, edgeAt, edgeHealth, edgeWidth, fitViewport, nodeAt, nodeInDirection, sceneLabels, sceneLayout, screenCircles, nodeRadius, panBy, recolor, toWorld, worldBounds, zoomAround
} from '@pkg/domain/flows/graph/viewport';
import { countOverlaps } from '@pkg/domain/flows/graph/labels';
import { scenarioIndex, scenarioRows } from '../../fixtures/querier/scenario';

const graph = buildTrafficGraph(enrichEdges(scenarioRows, scenarioIndex()));

describe('edge health', () => {
  it.each([
    [{ rttUs: null, retransRate: null }, 'rtt', 'unknown'],
    [{ rttUs: HEALTH_THRESHOLDS.rtt.warn - 1, retransRate: null }, 'rtt', 'good'],
    [{ rttUs: HEALTH_THRESHOLDS.rtt.warn, retransRate: null }, 'rtt', 'warn'],
    [{ rttUs: HEALTH_THRESHOLDS.rtt.bad, retransRate: null }, 'rtt', 'bad'],
    [{ rttUs: 1, retransRate: 0 }, 'retrans', 'good'],
    [{ rttUs: 1, retransRate: HEALTH_THRESHOLDS.retrans.warn }, 'retrans', 'warn'],
    [{ rttUs: 1, retransRate: 0.5 }, 'retrans', 'bad'],
    [{ rttUs: Number.NaN, retransRate: null }, 'rtt', 'unknown'],
  ] as const)('%j by %s is %s', (edge, mode, health) => {
    expect(edgeHealth(edge, mode)).toBe(health);
  });
});

describe('sizes', () => {
  it('grow with bytes on a log scale within bounds', () => {
    expect(nodeRadius(0, 1000)).toBe(4);
    expect(nodeRadius(1000, 1000)).toBe(18);
    expect(nodeRadius(10, 1000)).toBeLessThan(nodeRadius(100, 1000));
    expect(edgeWidth(0, 0)).toBeCloseTo(0.6);
    expect(edgeWidth(5, 5)).toBeCloseTo(6);
  });
});

describe('scene', () => {
  const scene = buildScene(graph, 'rtt');

  it('has a node per graph node with safe labels, and resolvable edges sorted thin to thick', () => {
    expect(scene.nodes.map((n) => n.id).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    expect(scene.edges).toHaveLength(graph.edges.length);
    for (let i = 1; i < scene.edges.length; i++) {
      expect(scene.edges[i].width).toBeGreaterThanOrEqual(scene.edges[i - 1].width);
    }
    expect(scene.nodes.filter((n) => n.expandable).map((n) => n.id).sort()).toEqual(['namespace:shop', 'namespace:vms']);
    expect(scene.nodes[scene.byImportance[0]].node.bytes).toBe(Math.max(...graph.nodes.map((n) => n.bytes)));
  });

  it('strips bidi overrides and control characters from labels', () => {
    const hostile = buildScene({
      ...graph, nodes: [{ ...graph.nodes[0], label: 'a\u202eevil\u0000<b>' }], edges: []
    }, 'rtt');

    expect(hostile.nodes[0].label).toBe('aevil<b>');
  });

  it('recolors without rebuilding', () => {
    const s = buildScene(graph, 'rtt');
    const before = s.edges.map((e) => e.health);

    recolor(s, 'retrans');
    expect(s.edges.map((e) => e.health)).not.toEqual(before);
    expect(s.edges.every((e) => e.health === edgeHealth(e.edge, 'retrans'))).toBe(true);
  });

  it('labels a settled map without any overlap, the same for every pan', () => {
    const layout = sceneLayout(scene);

    while (!layout.done()) {
      layout.tick();
    }
    const measure = (text: string) => text.length * 7;
    const placement = sceneLabels(scene, layout, 1, measure);
    const circles = screenCircles(scene, layout, 1);

    expect(placement.labels.length + placement.hidden.length).toBe(scene.nodes.length);
    expect(placement.labels.length).toBeGreaterThan(0);
    expect(countOverlaps(circles, placement.labels)).toEqual({ nodeNode: 0, labelLabel: 0, labelNode: 0 });
    // Groups that open are drawn with a ring, and the ring is what must not overlap.
    const ns = scene.nodes.findIndex((n) => n.expandable);

    expect(circles[ns].r).toBeGreaterThan(scene.nodes[ns].radius);
    expect(sceneLabels(scene, layout, 1, measure)).toEqual(placement);
  });

  it('moves keyboard focus to the nearest node in the arrow direction', () => {
    const p = { x: [0, 100, -100, 0, 30], y: [0, 0, 0, 100, -80] };
    const s = { ...scene, nodes: scene.nodes.slice(0, 5), byImportance: [3, 0, 1, 2, 4] };

    expect(nodeInDirection(s, p, -1, 'right')).toBe(3);
    expect(nodeInDirection(s, p, 0, 'right')).toBe(1);
    expect(nodeInDirection(s, p, 0, 'left')).toBe(2);
    expect(nodeInDirection(s, p, 0, 'down')).toBe(3);
    expect(nodeInDirection(s, p, 0, 'up')).toBe(4);
    expect(nodeInDirection(s, p, 3, 'down')).toBe(-1);
  });
});

describe('viewport', () => {
  const positions = { x: [0, 100, 50], y: [0, 0, 200] };
  const radii = [5, 5, 5];

  it('fits every node inside the canvas', () => {
    const v = fitViewport(positions, radii, 400, 300, 20);
    const b = worldBounds(positions, radii);

    expect(b.minX * v.k + v.tx).toBeGreaterThanOrEqual(19.99);
    expect(b.maxX * v.k + v.tx).toBeLessThanOrEqual(380.01);
    expect(b.minY * v.k + v.ty).toBeGreaterThanOrEqual(19.99);
    expect(b.maxY * v.k + v.ty).toBeLessThanOrEqual(280.01);
  });

  it('never zooms a tiny graph in past 1.5x', () => {
    expect(fitViewport({ x: [0], y: [0] }, [1], 800, 600).k).toBe(1.5);
  });

  it('zooms around the pointer and pans', () => {
    const v = { k: 1, tx: 10, ty: 20 };
    const before = toWorld(v, 200, 100);
    const zoomed = zoomAround(v, 2, 200, 100);

    expect(zoomed.k).toBe(2);
    expect(toWorld(zoomed, 200, 100).x).toBeCloseTo(before.x);
    expect(toWorld(zoomed, 200, 100).y).toBeCloseTo(before.y);
    expect(zoomAround(v, 1e9, 0, 0).k).toBe(8);
    expect(clampZoom(Number.NaN)).toBe(1);
    expect(panBy(v, 5, -5)).toEqual({ k: 1, tx: 15, ty: 15 });
  });
});

describe('hit-testing', () => {
  const scene = buildScene({
    ...graph,
    nodes: [
      { ...graph.nodes[0], id: 'a', bytes: 10 }, { ...graph.nodes[0], id: 'b', bytes: 10 },
    ],
    edges: [{ ...graph.edges[0], source: 'a', target: 'b', selfLoop: false }],
  }, 'rtt');
  const positions = { x: [0, 100], y: [0, 0] };
  const v = { k: 2, tx: 50, ty: 50 };

  it('finds the node under the pointer, within its radius plus a little slack', () => {
    const r = scene.nodes[0].radius;

    expect(nodeAt(scene, positions, v, 50, 50)).toBe(0);
    expect(nodeAt(scene, positions, v, 250, 50)).toBe(1);
    expect(nodeAt(scene, positions, v, 50 + r * 2 + 2, 50)).toBe(0);
    expect(nodeAt(scene, positions, v, 150, 50)).toBe(-1);
  });

  it('finds the edge under the pointer', () => {
    expect(edgeAt(scene, positions, v, 150, 51)).toBe(0);
    expect(edgeAt(scene, positions, v, 150, 80)).toBe(-1);
  });
});
