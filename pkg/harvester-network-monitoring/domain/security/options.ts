import { isRecord, strings } from '../guards';
import {
  ANALYSES, AdmissionDefaults, Analysis, ExpectedPrivilege, ReviewOptions
} from './types';

/**
 * Options come from pages and settings; anything of the wrong shape is dropped rather than trusted,
 * so a bad option can only make the review less specific, never make it throw.
 */
export function normalizeOptions(raw: unknown): ReviewOptions {
  const o = isRecord(raw) ? raw : {};
  const out: ReviewOptions = {};
  const list = (key: string) => (Array.isArray(o[key]) ? strings(o[key]) : undefined);

  const nodeCIDRs = list('nodeCIDRs');
  const apiServerCIDRs = list('apiServerCIDRs');
  const focusNamespaces = list('focusNamespaces');
  const exemptNamespaces = list('exemptNamespaces');

  if (nodeCIDRs) {
    out.nodeCIDRs = nodeCIDRs;
  }
  if (apiServerCIDRs) {
    out.apiServerCIDRs = apiServerCIDRs;
  }
  if (focusNamespaces) {
    out.focusNamespaces = focusNamespaces;
  }
  if (exemptNamespaces) {
    out.exemptNamespaces = exemptNamespaces;
  }
  if (Array.isArray(o.apiServerProxyPorts)) {
    out.apiServerProxyPorts = o.apiServerProxyPorts.filter((p): p is number => typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536);
  }
  if (Array.isArray(o.expectedPrivileges)) {
    out.expectedPrivileges = o.expectedPrivileges.filter((p): p is ExpectedPrivilege => isRecord(p) && typeof p.id === 'string' && isRecord(p.selector));
  }
  if (typeof o.defaultNamespace === 'string' && o.defaultNamespace) {
    out.defaultNamespace = o.defaultNamespace;
  }
  if (isRecord(o.admissionDefaults)) {
    out.admissionDefaults = o.admissionDefaults as AdmissionDefaults;
  }
  if (Array.isArray(o.analyses)) {
    out.analyses = o.analyses.filter((a): a is Analysis => ANALYSES.includes(a as Analysis));
  }

  return out;
}
