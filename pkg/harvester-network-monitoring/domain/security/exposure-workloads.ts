import { finding } from './finding';
import { optRec, text } from '../guards';
import { ObjectIndex } from './objects';
import { Finding } from './types';

/**
 * Container hygiene: mutable image tags (latest or none) and missing resource limits/requests.
 * A digest pins the image, so a digest without a tag is fine.
 */

export interface ImageRef {
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const out: ImageRef = {};

  if (at >= 0) {
    out.digest = image.slice(at + 1);
  }
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');

  if (colon >= 0) {
    out.tag = lastSegment.slice(colon + 1);
  }

  return out;
}

const REQUIRED_LIMITS = ['cpu', 'memory'];

export function reviewWorkloadHygiene(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    for (const c of t.containers) {
      const ref = { ...t.ref, container: c.name };
      const base = { workload: t.ref.name, namespace: t.namespace, container: c.name };
      const image = text(c.raw.image);

      if (image) {
        const parsed = parseImage(image);

        if (!parsed.digest && (parsed.tag === undefined || parsed.tag === '')) {
          out.push(finding('exposure.imageUntagged', 'exposure', 'warning', ref, { ...base, image }));
        } else if (!parsed.digest && parsed.tag === 'latest') {
          out.push(finding('exposure.imageLatest', 'exposure', 'warning', ref, { ...base, image }));
        }
      }
      // Ephemeral debug containers cannot declare resources.
      if (c.kind === 'ephemeralContainer') {
        continue;
      }
      const resources = optRec(c.raw.resources);
      const limits = optRec(resources?.limits) || {};
      const requests = optRec(resources?.requests) || {};
      const missing = REQUIRED_LIMITS.filter((r) => limits[r] === undefined || limits[r] === null || limits[r] === '');

      if (missing.length) {
        out.push(finding('exposure.noLimits', 'exposure', 'warning', ref, { ...base, missing }));
      }
      // Requests default to the limits, so they are only missing when neither is set.
      if (!Object.keys(requests).length && !Object.keys(limits).length) {
        out.push(finding('exposure.noRequests', 'exposure', 'info', ref, base));
      }
    }
  }

  return out;
}
