import { STACK, TYPES } from './constants';
import { ApiError, classifyApiError } from './errors';
import { KubeObject, nameOf, namespaceOf } from './k8s';
import { isRecord } from '../guards';
import { StackObjects } from './status';

/** The part of the shell's Vuex store the loaders need; tests pass a fake. */
export interface StoreLike {
  dispatch(action: string, payload?: unknown): Promise<unknown>;
  getters: Record<string, any>;
}

export interface LoadProblem {
  type: string;
  namespace?: string;
  error: ApiError;
}

/**
 * A type to list. `namespace` names where the objects that matter live (shown in problems); an
 * `optional` type the user may not list is skipped silently (the page is complete without it).
 */
export interface ListQuery {
  type: string;
  namespace?: string;
  optional?: boolean;
  /** The store's findAll options, e.g. a namespaced one-off read ({ namespaced, force, load: false }). */
  opt?: Record<string, unknown>;
  /** Where the answer lands in `lists` (default: the type), for one type read in several namespaces. */
  key?: string;
  /**
   * Only these dotted paths of each object (Steve's `include` parameter, rancher/steve
   * pkg/resources/common/formatter.go includeFields), read past the store: a page that reads a few fields of
   * thousands of objects gets a fraction of the bytes and no store models. The store's own list is used
   * instead when it holds the type already (full objects). Paths go through objects, not arrays.
   */
  fields?: readonly string[];
}

export interface ListResult {
  /** What each listable query returned, by key (the type unless the query names another). */
  lists: Map<string, unknown[]>;
  /** Per type that could not be listed, sorted by type; never thrown. */
  problems: LoadProblem[];
}

/**
 * The pods and events of the stack's two namespaces, added to the store (load 'multi', the shell's loadMulti): a
 * Harvester cluster has thousands of pods, and the progress reads a few dozen. A plain namespaced findAll would
 * instead replace the shared cache of the type with one namespace (load 'all' marks it namespaced), and the store
 * would then drop live updates from every namespace outside the header's namespace filter (@rancher/shell 3.0.8
 * plugins/steve/accept-or-reject-socket-message.ts). They are watched by ACTIVITY_WATCHES, not per namespace.
 * When the store holds every pod already, findAll answers from it.
 */
const activityQueries = (type: string): ListQuery[] => [STACK.stackNamespace, STACK.agentNamespace].map((namespace) => ({
  type, namespace, optional: true, key: `${ type }|${ namespace }`, opt: { namespaced: namespace, load: 'multi', watch: false },
}));

/**
 * One watch per activity type: the shell keeps one namespace's watch of a type at a time (shell 3.0.8
 * plugins/steve/subscribe.js `ws.resource.start` unwatches a started watch of the same type in another
 * namespace), so a watch per stack namespace left only the last one started live. Pods are watched across the
 * cluster by the label every pod of the chart carries (templates/_helpers.tpl `hnm.labels`); Events carry no
 * labels of their object, so every Event is watched and the progress picks the stack's namespaces, as the shell
 * does for a subset it cannot subscribe to ("subscribe to allll changes BUT ignore" what is outside it).
 * Started without a revision: the store resumes from the newest version it holds (the lists just loaded).
 */
export const ACTIVITY_WATCHES: { type: string; selector?: string }[] = [
  { type: TYPES.pod, selector: `${ STACK.partOfLabel }=${ STACK.partOfValue }` },
  { type: TYPES.event },
];

/**
 * What the Overview reads; the Addon type is optional because a user may install the chart with plain helm.
 * The stack's own types are listed cluster-wide (Steve answers with what the user may see; a cluster has
 * few of them) and picked by namespace in collectStackObjects.
 */
const STACK_QUERIES: ListQuery[] = [
  { type: TYPES.addon, namespace: STACK.stackNamespace, optional: true },
  // A bundled-chart (air-gapped) install is a HelmChart instead of an Addon.
  { type: TYPES.helmChart, namespace: STACK.stackNamespace, optional: true },
  { type: TYPES.daemonSet, namespace: STACK.agentNamespace },
  { type: TYPES.deployment, namespace: STACK.stackNamespace },
  { type: TYPES.statefulSet, namespace: STACK.stackNamespace },
  { type: TYPES.node },
  // Pods and events explain progress and failures; without them the status is still complete.
  ...ACTIVITY_WATCHES.flatMap(({ type }) => activityQueries(type)),
];

/** Steve lists only the types the user may see: without a schema the user may not list the type (or it does not exist). */
export function hasSchema(store: StoreLike, inStore: string, type: string): boolean {
  const schemaFor = store.getters[`${ inStore }/schemaFor`];

  return typeof schemaFor === 'function' ? !!schemaFor(type) : true;
}

/**
 * The store's findAll options for a query. A projection (`fields`) is a one-off read of the collection with
 * Steve's `include` parameters that leaves the store alone (load: false, no watch): partial objects must never
 * replace the store's full ones, which other pages read.
 */
function findAllOptions(store: StoreLike, inStore: string, { type, opt, fields }: ListQuery): Record<string, unknown> | undefined {
  const collection = fields?.length ? store.getters[`${ inStore }/schemaFor`]?.(type)?.links?.collection : undefined;

  if (typeof collection !== 'string') {
    return opt;
  }
  const include = (fields as string[]).map((f) => `include=${ encodeURIComponent(f) }`).join('&');

  return {
    ...opt, url: `${ collection }${ collection.includes('?') ? '&' : '?' }${ include }`, load: false, watch: false
  };
}

/**
 * The one loader of the extension: lists every query in parallel through the store, which watches what it
 * loads (cluster-wide unless a query's options say otherwise; a projection is read past it, unwatched).
 * Failures are collected per type instead of thrown, so a user who may list some types still sees them.
 */
export async function listTypes(store: StoreLike, inStore: string, queries: readonly ListQuery[]): Promise<ListResult> {
  const lists = new Map<string, unknown[]>();
  const problems: LoadProblem[] = [];

  await Promise.all(queries.map(async(query) => {
    const {
      type, namespace, optional, key
    } = query;
    const opt = findAllOptions(store, inStore, query);

    if (!hasSchema(store, inStore, type)) {
      // Steve lists only the types the user may see: a missing schema means no permission (or no such CRD).
      if (!optional) {
        problems.push({
          type, namespace, error: { kind: 'forbidden', detail: '' }
        });
      }

      return;
    }
    try {
      const listed = await store.dispatch(`${ inStore }/findAll`, opt ? { type, opt } : { type });
      // A read that does not load the store (load: false) answers with the raw collection.
      const items = isRecord(listed) && Array.isArray(listed.data) ? listed.data : listed;

      lists.set(key || type, Array.isArray(items) ? items : []);
    } catch (err) {
      problems.push({ type, namespace, error: classifyApiError(err) });
    }
  }));
  // Stable order for the view, whatever order the requests finished in.
  problems.sort((a, b) => a.type.localeCompare(b.type));

  return { lists, problems };
}

/** What only the install progress reads (the Overview's): the pods and events of the stack's namespaces. */
const ACTIVITY_TYPES = ACTIVITY_WATCHES.map(({ type }) => type);

/**
 * Loads (and starts watching) every object the stack status is computed from; with `activity` also the pods and
 * events its progress is computed from. A page that shows no progress leaves them out: on a Harvester cluster
 * at scale that is thousands of pods and events the page would not read. Without `nodes` the status has no node
 * count (nodes without an agent) until the page lists nodes itself; whether the stack is installed does not
 * depend on them (status.ts evaluateStack).
 */
export async function loadStackObjects(store: StoreLike, inStore = 'harvester', { activity = true, nodes = true } = {}): Promise<LoadProblem[]> {
  const queries = STACK_QUERIES.filter((q) => (activity || !ACTIVITY_TYPES.includes(q.type)) && (nodes || q.type !== TYPES.node));
  const { problems } = await listTypes(store, inStore, queries);

  if (activity) {
    await Promise.all(ACTIVITY_WATCHES.filter(({ type }) => hasSchema(store, inStore, type)).map((watch) => store.dispatch(`${ inStore }/watch`, watch)));
  }

  return problems;
}

function inNamespace(objects: unknown[], namespace: string): KubeObject[] {
  return objects.filter((o) => isRecord(o) && namespaceOf(o) === namespace) as KubeObject[];
}

export interface StackObjectsWithActivity extends StackObjects {
  pods: KubeObject[];
  events: KubeObject[];
}

const STACK_NAMESPACES = [STACK.stackNamespace, STACK.agentNamespace] as string[];

const inStack = (objects: unknown[]): KubeObject[] => objects.filter((o) => isRecord(o) && STACK_NAMESPACES.includes(namespaceOf(o))) as KubeObject[];

/** Picks the stack's objects out of the store cache (reactive when `all` reads Vuex getters). */
export function collectStackObjects(all: (type: string) => unknown[]): StackObjectsWithActivity {
  const list = (type: string) => {
    const items = all(type);

    return Array.isArray(items) ? items : [];
  };
  const addon = inNamespace(list(TYPES.addon), STACK.stackNamespace).find((a) => nameOf(a) === STACK.addonName) || null;
  const helmChart = inNamespace(list(TYPES.helmChart), STACK.stackNamespace).find((a) => nameOf(a) === STACK.addonName) || null;

  return {
    addon,
    helmChart,
    // Components are matched by label and namespace (status.ts); the agent namespace holds a Deployment too (the watcher).
    workloads: [TYPES.daemonSet, TYPES.deployment, TYPES.statefulSet].flatMap((type) => inStack(list(type))),
    nodes:     list(TYPES.node).filter(isRecord) as KubeObject[],
    pods:      inStack(list(TYPES.pod)),
    events:    inStack(list(TYPES.event)),
  };
}
