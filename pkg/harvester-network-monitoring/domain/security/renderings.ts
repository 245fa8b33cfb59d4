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

export function renderedObjects(variant: VariantKey): unknown[] {
  return (renderings as Record<string, unknown[]>)[variant] || [];
}
