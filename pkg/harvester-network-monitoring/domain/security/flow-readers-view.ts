import { displayText } from '../text';
import {
  FlowPath, FlowReader, FlowReaderCategory, FlowReadersResult
} from './flow-readers';

/**
 * Rows of the "Who can read the flow data" table, as l10n keys with parameters (components only
 * translate them). Names from the cluster stay plain text, cleaned of control characters and bidi marks.
 */
export type Cell = { key: string; params?: Record<string, string | number> };

export interface FlowPathView {
  what: Cell;
  /** What the path gives, where that depends on the path (Grafana's login, get versus create). */
  effect?: Cell;
  via: Cell;
}

export interface FlowReaderRow {
  key: string;
  category: FlowReaderCategory;
  kind: Cell;
  /** `name` or `namespace/name` for ServiceAccounts. */
  name: string;
  paths: FlowPathView[];
}

const KEY = 'networkMonitoring.securityView.flowReaders';
const NAME_LENGTH = 120;

const list = (values: string[]) => values.map((v) => displayText(v, NAME_LENGTH)).join(', ');

function effectOf(p: FlowPath, result: FlowReadersResult): Cell | undefined {
  if (p.kind !== 'serviceProxy') {
    return undefined;
  }
  const role = result.services.find((s) => s.service === p.target)?.role;

  if (role === 'querier') {
    return { key: `${ KEY }.effect.querier` };
  }
  if (!result.grafanaAnonymous) {
    return { key: `${ KEY }.effect.grafanaLogin` };
  }

  return { key: p.verbs.includes('create') ? `${ KEY }.effect.grafanaAnonymous` : `${ KEY }.effect.grafanaPagesOnly` };
}

export function pathView(p: FlowPath, result: FlowReadersResult): FlowPathView {
  const params = {
    verbs:     p.verbs.join(', '),
    service:   displayText(p.target, NAME_LENGTH),
    names:     list(p.names),
    resources: p.resources.join(', '),
  };
  const via = p.via;
  const effect = effectOf(p, result);

  return {
    what: { key: `${ KEY }.path.${ p.kind }${ p.names.length ? 'Named' : '' }`, params },
    ...(effect ? { effect } : {}),
    via:  {
      key:    `${ KEY }.via.${ via.bindingKind }`,
      params: {
        binding:   displayText(via.bindingName, NAME_LENGTH),
        namespace: displayText(via.bindingNamespace || '', NAME_LENGTH),
        roleKind:  via.roleKind,
        role:      displayText(via.roleName, NAME_LENGTH),
      },
    },
  };
}

export function readerRow(reader: FlowReader, result: FlowReadersResult): FlowReaderRow {
  const s = reader.subject;

  return {
    key:      reader.key,
    category: reader.category,
    kind:     { key: `${ KEY }.subject.${ s.kind }` },
    name:     s.kind === 'ServiceAccount' ? `${ displayText(s.namespace || '', NAME_LENGTH) }/${ displayText(s.name, NAME_LENGTH) }` : displayText(s.name, NAME_LENGTH),
    paths:    reader.paths.map((p) => pathView(p, result)),
  };
}

export function readerRows(result: FlowReadersResult): { people: FlowReaderRow[]; system: FlowReaderRow[] } {
  const rows = result.readers.map((r) => readerRow(r, result));

  return { people: rows.filter((r) => r.category !== 'system'), system: rows.filter((r) => r.category === 'system') };
}
