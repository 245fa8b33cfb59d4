import variants from './variants.json';
import layouts from './layouts.json';
import renderings from '../../generated/chart-renderings.json';
import { InstallSettings } from '../install/settings';

/**
 * The chart's manifests, rendered by real `helm template` at build time (scripts/render-chart-variants.js)
 * for each security-relevant choice the wizard offers, so the review shows exactly what will be installed.
 */
export type ExposureKey = keyof typeof variants;
/** Database layouts (layouts.json): several ClickHouse nodes, external ClickHouse and MySQL, external MySQL only. */
export type LayoutKey = keyof typeof layouts;
/** A Grafana exposure variant, with the database layout after a "+" when it is not the chart's single-node default. */
export type VariantKey = ExposureKey | `${ ExposureKey }+${ LayoutKey }`;

export const VARIANT_VALUES: Record<ExposureKey, Record<string, unknown>> = variants;
export const LAYOUT_VALUES: Record<LayoutKey, Record<string, unknown>> = layouts;

function exposureOf(settings: InstallSettings): ExposureKey {
  const g = settings.grafana;
  const anonymous = g.anonymous ? '-anonymous' : '';

  if (g.exposure === 'nodeport') {
    return `nodeport${ anonymous }` as ExposureKey;
  }
  if (g.exposure === 'ingress') {
    return `${ g.ingressTlsSecret ? 'ingress-tls' : 'ingress' }${ anonymous }` as ExposureKey;
  }

  return `proxy${ anonymous }` as ExposureKey;
}

export function layoutOf(settings: InstallSettings): LayoutKey | undefined {
  const e = settings.external;

  if (e.clickhouse.enabled) {
    return 'external-db';
  }
  if (e.mysql.enabled) {
    return 'external-mysql';
  }

  return settings.clickhouseReplicas > 1 ? 'scale-out' : undefined;
}

/** The variant whose security properties match the wizard settings. */
export function variantOf(settings: InstallSettings): VariantKey {
  const layout = layoutOf(settings);

  return layout ? `${ exposureOf(settings) }+${ layout }` : exposureOf(settings);
}

interface RenderedObject { kind?: string; metadata?: { namespace?: string; name?: string } }
type Delta = { set: RenderedObject[]; remove: string[] };
interface Renderings {
  base: string;
  objects: RenderedObject[];
  deltas: Record<string, Delta>;
  layouts: Record<string, Delta>;
}

const keyOf = (o: RenderedObject) => `${ o.kind }/${ o.metadata?.namespace || '' }/${ o.metadata?.name || '' }`;

/**
 * The manifests of one variant: the stored base with the exposure's and then the layout's differences applied
 * (scripts/render-chart-variants.js checks that this equals helm's rendering of every combination).
 */
export function renderedObjects(variant: VariantKey): unknown[] {
  const data = renderings as unknown as Renderings;

  if (!data.objects) {
    return [];
  }
  const [exposure, layout] = variant.split('+');
  const byKey = new Map(data.objects.map((o) => [keyOf(o), o]));

  [exposure === data.base ? undefined : data.deltas[exposure], layout ? data.layouts[layout] : undefined].forEach((delta) => {
    delta?.remove.forEach((k) => byKey.delete(k));
    delta?.set.forEach((o) => byKey.set(keyOf(o), o));
  });

  // Copies, so a consumer can never alter the bundled data.
  return JSON.parse(JSON.stringify([...byKey.values()]));
}
