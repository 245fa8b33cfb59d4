/**
 * Reads the agents' statistics and DeepFlow's agent list from the querier (in parallel) and works out the
 * interface pattern in effect from the installed values.
 */
import { QuerierClient, RunOptions } from '../flows/query/querier-client';
import { KubeObject, labelsOf, namespaceOf } from '../stack/k8s';
import { isRecord, str } from '../guards';
import { STACK, TYPES } from '../stack/constants';
import { StackObjectsWithActivity, StoreLike, listTypes } from '../stack/load';
import { parseValuesYaml } from '../install/values';
import { installedValuesContent } from '../stack/addon';
import { AgentHealthInput, AgentStatistics } from './health';
import { ControllerAgents } from './controller-agents';
import {
  agentDispatcherQuery, agentFlowMapQuery, agentListQuery, agentWindow
} from './queries';

export async function loadAgentStatistics(client: QuerierClient, nowSeconds: number, options: RunOptions = {}): Promise<AgentStatistics> {
  const window = agentWindow(nowSeconds);
  const [dispatcher, flowMap, agents] = await Promise.all([
    client.run(agentDispatcherQuery(window), options),
    client.run(agentFlowMapQuery(window), options),
    client.run(agentListQuery(), options),
  ]);

  // 'no-data' is an answer: no agent sent statistics in the window, or none is registered.
  for (const outcome of [dispatcher, flowMap, agents]) {
    if (outcome.state !== 'ok' && outcome.state !== 'no-data') {
      return {
        state: outcome.state, dispatcher: [], flowMap: [], agents: []
      };
    }
  }

  return {
    state:      'ok',
    dispatcher: dispatcher.state === 'ok' ? dispatcher.rows : [],
    flowMap:    flowMap.state === 'ok' ? flowMap.rows : [],
    agents:     agents.state === 'ok' ? agents.rows : [],
  };
}

/** `agent.interfaceRegex` of the installed values, else the chart default. */
export function interfacePatternInEffect(installed: Record<string, unknown> | null, chartDefault: string): string {
  const agent = installed && isRecord(installed.agent) ? installed.agent : undefined;
  const regex = agent ? str(agent.interfaceRegex) : undefined;

  return regex || chartDefault;
}

/**
 * Loads Harvester's per-node cluster network status objects (network-controller-harvester VlanStatus)
 * when the user may list them; without them only `mgmt-br` is checked.
 * Never throws: a failure leaves the capture check to the management bridge.
 */
export async function loadVlanStatuses(store: StoreLike, inStore = 'harvester'): Promise<void> {
  await listTypes(store, inStore, [{ type: TYPES.vlanStatus, optional: true }]);
}

/** The health input from the Overview's stack objects. */
export function agentHealthInput(
  objects: StackObjectsWithActivity, vlanStatuses: unknown[], statistics: AgentStatistics, nowSeconds: number, chartDefaultRegex: string,
  controller: ControllerAgents = { state: 'loading' }
): AgentHealthInput {
  const daemonSet = objects.workloads.find((w) => namespaceOf(w) === STACK.agentNamespace && labelsOf(w)[STACK.componentLabel] === 'agent') || null;
  const selector = isRecord(daemonSet?.spec?.selector?.matchLabels) ? daemonSet?.spec.selector.matchLabels as Record<string, string> : null;
  const pods = objects.pods.filter((p) => namespaceOf(p) === STACK.agentNamespace &&
    (selector ? Object.entries(selector).every(([k, v]) => labelsOf(p)[k] === v) : labelsOf(p)[STACK.componentLabel] === 'agent'));
  const parsed = parseValuesYaml(installedValuesContent(objects.addon ?? null, objects.helmChart ?? null));

  return {
    nodes:          objects.nodes ?? [],
    daemonSet,
    pods,
    vlanStatuses:   vlanStatuses.filter(isRecord) as KubeObject[],
    interfaceRegex: interfacePatternInEffect(parsed.ok ? parsed.values : null, chartDefaultRegex),
    statistics,
    controller,
    nowSeconds,
  };
}
