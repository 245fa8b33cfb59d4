/**
 * Every statement shape the extension can send to DeepFlow's querier, built by the same view-model
 * functions the pages and tabs call, over the contract scenario (scenario.ts): the Flows page (edges,
 * each talker view, flow records with every sort, filter and paging), the VM and pod Network tabs,
 * for every time range and scope (none, namespace, VM with one and several addresses incl. IPv6,
 * pod, host-network pod). The recordings in fixtures/ are what DeepFlow's real translator made of
 * exactly these statements.
 */
import { ColumnSpecs, PreparedQuery } from '../../pkg/harvester-network-monitoring/domain/flows/query/query-types';
import { TIME_RANGES, queryWindowFor } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-time';
import { flowsEdgesQuery, namespaceScope } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-flows';
import { TALKER_GROUPS, talkerQueries } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-talkers';
import {
  DEFAULT_RECORD_SORT, EMPTY_RECORD_FILTERS, RecordFilterForm, recordsQuery
} from '../../pkg/harvester-network-monitoring/domain/flows/view/view-records';
import { EndpointScope, FLOW_SORT_COLUMNS } from '../../pkg/harvester-network-monitoring/domain/flows/query/queries';
import { podSubject, subjectQueries, vmSubject } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-peers';
import {
  agentDispatcherQuery, agentFlowMapQuery, agentListQuery, agentWindow
} from '../../pkg/harvester-network-monitoring/domain/agents/queries';
import { CONTRACT_NOW_SECONDS, CONTRACT_OBJECTS, contractIndex } from './scenario';

/** One request as the querier receives it (form fields of POST /v1/query/). */
export interface ContractStatement {
  id: string;
  db: string;
  data_precision: string;
  sql: string;
}

export interface BuiltStatement extends ContractStatement {
  query: PreparedQuery<ColumnSpecs>;
}

const NOW_MS = CONTRACT_NOW_SECONDS * 1000;
const NAMESPACES = ['', 'vms', 'shop'];

function statement(id: string, query: PreparedQuery<ColumnSpecs>): BuiltStatement {
  return {
    id, db: query.db, data_precision: query.dataPrecision ?? '', sql: query.sql, query
  };
}

function podObject(namespace: string, name: string) {
  const found = CONTRACT_OBJECTS.pods?.find((p: any) => p.metadata.namespace === namespace && p.metadata.name === name);

  if (!found) {
    throw new Error(`contract scenario has no pod ${ namespace }/${ name }`);
  }

  return found;
}

/**
 * Address lists of one family (the scenario's VMs have both): an address list per family is its own structure
 * (sql.ts anyAddress), so each is recorded.
 */
const ONE_FAMILY_ADDRESSES = [['ipv4-only', ['10.52.0.10', '192.168.100.10']], ['ipv6-only', ['fd00:100::10']]] as const;

/** The page's statements for one namespace scope (none: all namespaces). */
function scopeStatements(out: BuiltStatement[], tag: string, window: ReturnType<typeof queryWindowFor>, scope: EndpointScope | undefined) {
  out.push(statement(`flows/edges/${ tag }`, flowsEdgesQuery(window, scope)));
  for (const by of TALKER_GROUPS) {
    for (const rankBy of ['bytes', 'connections'] as const) {
      const q = talkerQueries(by, rankBy, window, scope);

      for (const part of ['tagged', 'addresses'] as const) {
        const query = q[part];

        if (query) {
          out.push(statement(`flows/talkers/${ by }/${ rankBy }/${ part }/${ tag }`, query));
        }
      }
    }
  }
  out.push(statement(`flows/records/${ tag }`, records(window, scope, EMPTY_RECORD_FILTERS, 0)));
}

function flowsPage(out: BuiltStatement[]) {
  const index = contractIndex();

  for (const range of TIME_RANGES) {
    const window = queryWindowFor(range, NOW_MS);

    for (const ns of NAMESPACES) {
      scopeStatements(out, `range=${ range }/ns=${ ns || '-' }`, window, namespaceScope(ns, CONTRACT_OBJECTS, index).scope);
    }
  }
  // A namespace whose VMs' addresses are of one family.
  const window = queryWindowFor('1h', NOW_MS);

  for (const [family, ips] of ONE_FAMILY_ADDRESSES) {
    scopeStatements(out, family, window, { namespace: 'vms', ips: [...ips] });
  }
}

function records(window: ReturnType<typeof queryWindowFor>, scope: any, form: RecordFilterForm, page: number, sort = DEFAULT_RECORD_SORT) {
  const built = recordsQuery({
    window, form, namespaceScope: scope, sort, page
  }, contractIndex());

  if (!built.ok) {
    throw new Error(`contract records form refused: ${ JSON.stringify(built.errors) }`);
  }

  return built.query;
}

const FILTER_VALUES: RecordFilterForm = {
  vm: 'vms/web-vm', pod: 'web-0', ip: '203.0.113.5', port: '443', protocol: 'udp'
};
const FILTER_FIELDS = Object.keys(FILTER_VALUES) as (keyof RecordFilterForm)[];

/** Every subset of the filter form's fields. */
function filterForms(): [string, RecordFilterForm][] {
  return Array.from({ length: 2 ** FILTER_FIELDS.length }, (_, mask) => {
    const fields = FILTER_FIELDS.filter((_f, i) => mask & (1 << i));
    const form = { ...EMPTY_RECORD_FILTERS };

    fields.forEach((f) => {
      form[f] = FILTER_VALUES[f];
    });

    return [fields.join('+') || 'none', form];
  });
}

/**
 * Flow records for the default range: every combination of the form's filters in every namespace scope
 * (none, one with VMs, one without), every sort and direction with and without filters, paging, and
 * the address kinds (IPv6, a VM with one address).
 */
function flowRecords(out: BuiltStatement[]) {
  const window = queryWindowFor('1h', NOW_MS);
  const index = contractIndex();

  for (const ns of NAMESPACES) {
    const scope = namespaceScope(ns, CONTRACT_OBJECTS, index).scope;

    for (const [name, form] of filterForms()) {
      if (name !== 'none') {
        out.push(statement(`records/filter=${ name }/ns=${ ns || '-' }`, records(window, scope, form, 0)));
      }
    }
  }
  for (const column of FLOW_SORT_COLUMNS) {
    for (const direction of ['asc', 'desc'] as const) {
      for (const [name, form] of [['none', EMPTY_RECORD_FILTERS], ['all', FILTER_VALUES]] as const) {
        out.push(statement(`records/sort=${ column }-${ direction }/filter=${ name }`, records(window, undefined, form, 0, { column, direction })));
      }
    }
  }
  for (const page of [1, 2]) {
    out.push(statement(`records/page=${ page }`, records(window, undefined, EMPTY_RECORD_FILTERS, page)));
  }
  out.push(statement('records/filter=ipv6', records(window, undefined, { ...EMPTY_RECORD_FILTERS, ip: 'fd00:100::10' }, 0)));
  out.push(statement('records/filter=vm-one-address', records(window, undefined, { ...EMPTY_RECORD_FILTERS, vm: 'vms/db-vm' }, 0)));
}

/** The VM and pod Network tabs: peers and traffic over time, for every range. */
function networkTabs(out: BuiltStatement[]) {
  const index = contractIndex();
  const subjects = {
    'vm=web-vm':      vmSubject(index, 'vms', 'web-vm'),
    'vm=db-vm':       vmSubject(index, 'vms', 'db-vm'),
    'pod=web-0':      podSubject(index, podObject('shop', 'web-0')),
    // A host-network pod has no address of its own: found by its tags only.
    'pod=kube-proxy': podSubject(index, podObject('kube-system', 'kube-proxy-node-1')),
  };

  for (const range of TIME_RANGES) {
    const window = queryWindowFor(range, NOW_MS);

    for (const [name, result] of Object.entries(subjects)) {
      if (!result.ok) {
        throw new Error(`contract subject ${ name }: ${ result.problem }`);
      }
      const q = subjectQueries(result.subject, window);

      out.push(statement(`tab/${ name }/peers/range=${ range }`, q.peers));
      out.push(statement(`tab/${ name }/series/range=${ range }`, q.series));
    }
  }
  // web-vm with addresses of one family only.
  const web = subjects['vm=web-vm'];
  const window = queryWindowFor('1h', NOW_MS);

  if (web.ok) {
    for (const [family, ips] of ONE_FAMILY_ADDRESSES) {
      const q = subjectQueries({ ...web.subject, ips: [...ips], scope: { ...web.subject.scope, ips: [...ips] } }, window);

      out.push(statement(`tab/vm=web-vm/peers/${ family }`, q.peers));
      out.push(statement(`tab/vm=web-vm/series/${ family }`, q.series));
    }
  }
}

/** The Overview's agent health: DeepFlow's own agent statistics (deepflow_tenant) and its list of registered agents. */
function agentHealth(out: BuiltStatement[]) {
  const window = agentWindow(CONTRACT_NOW_SECONDS);

  out.push(statement('agents/dispatcher', agentDispatcherQuery(window)));
  out.push(statement('agents/flow-map', agentFlowMapQuery(window)));
  out.push(statement('agents/registered', agentListQuery()));
}

/** Every statement the extension can send, in a stable order with unique ids. */
export function contractStatements(): BuiltStatement[] {
  const out: BuiltStatement[] = [];

  flowsPage(out);
  flowRecords(out);
  networkTabs(out);
  agentHealth(out);
  const ids = new Set<string>();

  for (const s of out) {
    if (ids.has(s.id)) {
      throw new Error(`duplicate contract statement id ${ s.id }`);
    }
    ids.add(s.id);
  }

  return out;
}
