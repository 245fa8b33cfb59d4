import variants from './variants.json';
import renderings from '../../generated/chart-renderings.json';
import { InstallSettings } from '../install/settings';

/**
 * The chart's manifests, rendered by real `helm template` at build time (scripts/render-chart-variants.js)
 * for each security-relevant choice the wizard offers, so the review shows exactly what will be installed.
 */
export type VariantKey = keyof typeof variants;

export const VARIANT_VALUES: Record<VariantKey, Record<string, unknown>> = variants;

/** The variant whose security properties match the wizard settings. */
export function variantOf(settings: InstallSettings): VariantKey {
  const g = settings.grafana;
  const anonymous = g.anonymous ? '-anonymous' : '';

  if (g.exposure === 'nodeport') {
    return `nodeport${ anonymous }` as VariantKey;
  }
  if (g.exposure === 'ingress') {
    return `${ g.ingressTlsSecret ? 'ingress-tls' : 'ingress' }${ anonymous }` as VariantKey;
  }

  return `proxy${ anonymous }` as VariantKey;
}

interface RenderedObject { kind?: string; metadata?: { namespace?: string; name?: string } }
interface Renderings {
  base: string;
  objects: RenderedObject[];
  deltas: Record<string, { set: RenderedObject[]; remove: string[] }>;
}

const keyOf = (o: RenderedObject) => `${ o.kind }/${ o.metadata?.namespace || '' }/${ o.metadata?.name || '' }`;

/** The manifests of one variant: the stored base with that variant's differences applied. */
export function renderedObjects(variant: VariantKey): unknown[] {
  const data = renderings as unknown as Renderings;

  if (!data.objects) {
    return [];
  }
  const delta = variant === data.base ? undefined : data.deltas[variant];
  const byKey = new Map(data.objects.map((o) => [keyOf(o), o]));

  delta?.remove.forEach((k) => byKey.delete(k));
  delta?.set.forEach((o) => byKey.set(keyOf(o), o));

  // Copies, so a consumer can never alter the bundled data.
  return JSON.parse(JSON.stringify([...byKey.values()]));
}
