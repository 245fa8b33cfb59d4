/**
 * The flow records table: its filter form (checked before any query is built), the query for one
 * page sorted on the server (ClickHouse sorts the whole range, not just the rows on screen), and
 * the rows it renders. Pages are fetched one at a time; a full page means there may be a next one.
 */
import { EnrichedFlowRecord, FlowRecordRow, enrichFlowRecords } from '../enrichment/aggregate';
import { EndpointIndex } from '../enrichment/enrich';
import { parseIp } from '../../net/ip';
import {
  EndpointScope, FLOW_SORT_COLUMNS, FlowFilters, FlowRecordColumns, FlowSortColumn, QueryWindow, flowRecordsQuery
} from '../query/queries';
import { PreparedQuery } from '../query/query-types';
import { isProtocolName } from '../query/schema';
import { SortDirection, nameProblem } from '../query/sql';
import { vmSubject } from './view-peers';

export const RECORDS_PAGE_SIZE = 50;

/** What the user typed or picked; every field may be empty. */
export interface RecordFilterForm {
  /** `<namespace>/<name>` of a VM. */
  vm: string;
  pod: string;
  ip: string;
  port: string;
  protocol: string;
}

export const EMPTY_RECORD_FILTERS: Readonly<RecordFilterForm> = {
  vm: '', pod: '', ip: '', port: '', protocol: ''
};

export type RecordFilterField = keyof RecordFilterForm;

/** Field -> l10n code under networkMonitoring.flows.records.invalid. */
export type RecordFilterErrors = Partial<Record<RecordFilterField, 'vm' | 'pod' | 'pod-querier-keyword' | 'ip' | 'port' | 'protocol' | 'vm-not-running'>>;

export interface RecordSort {
  column: FlowSortColumn;
  direction: SortDirection;
}

export const DEFAULT_RECORD_SORT: RecordSort = { column: 'start_time', direction: 'desc' };

export interface RecordQueryInput {
  window: QueryWindow;
  form: RecordFilterForm;
  /** The page's namespace filter, already turned into a scope (tag or VM addresses). */
  namespaceScope?: EndpointScope;
  sort: RecordSort;
  page: number;
  pageSize?: number;
}

export type RecordQueryResult =
  | { ok: true; query: PreparedQuery<FlowRecordColumns> }
  | { ok: false; errors: RecordFilterErrors };

function checkForm(form: RecordFilterForm, index: EndpointIndex): { errors: RecordFilterErrors; filters: FlowFilters; vmScope?: EndpointScope } {
  const errors: RecordFilterErrors = {};
  const filters: FlowFilters = {};
  let vmScope: EndpointScope | undefined;
  const pod = form.pod.trim();
  const ip = form.ip.trim();
  const port = form.port.trim();
  const protocol = form.protocol.trim();

  if (form.vm) {
    const [namespace, name, ...rest] = form.vm.split('/');

    if (!namespace || !name || rest.length) {
      errors.vm = 'vm';
    } else {
      const subject = vmSubject(index, namespace, name);

      if (subject.ok) {
        vmScope = subject.subject.scope;
      } else {
        errors.vm = 'vm-not-running';
      }
    }
  }
  if (pod) {
    const problem = nameProblem(pod, 'pod');

    if (problem) {
      errors.pod = problem === 'querier-keyword' ? 'pod-querier-keyword' : 'pod';
    } else {
      filters.pod = pod;
    }
  }
  if (ip) {
    const parsed = parseIp(ip);

    if (parsed) {
      filters.ip = parsed.text;
    } else {
      errors.ip = 'ip';
    }
  }
  if (port) {
    const n = Number(port);

    if (/^\d{1,5}$/.test(port) && n <= 65535) {
      filters.port = n;
    } else {
      errors.port = 'port';
    }
  }
  if (protocol) {
    if (isProtocolName(protocol)) {
      filters.protocol = protocol;
    } else {
      errors.protocol = 'protocol';
    }
  }

  return { errors, filters, vmScope };
}

/** The query for one page, or the fields to correct. Throws QueryBuildError only for limits the form cannot express. */
export function recordsQuery(input: RecordQueryInput, index: EndpointIndex): RecordQueryResult {
  const { errors, filters, vmScope } = checkForm(input.form, index);

  if (Object.keys(errors).length) {
    return { ok: false, errors };
  }
  const column = (FLOW_SORT_COLUMNS as readonly string[]).includes(input.sort.column) ? input.sort.column : DEFAULT_RECORD_SORT.column;

  return {
    ok:    true,
    query: flowRecordsQuery({
      window:    input.window,
      // A chosen VM is narrower than the namespace it lives in.
      scope:     vmScope ?? input.namespaceScope,
      filters,
      sortBy:    column,
      direction: input.sort.direction === 'asc' ? 'asc' : 'desc',
      pageSize:  input.pageSize ?? RECORDS_PAGE_SIZE,
      page:      input.page,
    }),
  };
}

export interface RecordsPage {
  rows: EnrichedFlowRecord[];
  page: number;
  /** A full page came back: there may be more. */
  hasNext: boolean;
}

export function recordsPage(rows: readonly FlowRecordRow[], index: EndpointIndex, page: number, pageSize = RECORDS_PAGE_SIZE): RecordsPage {
  return { rows: enrichFlowRecords(rows, index), page, hasNext: rows.length >= pageSize };
}
