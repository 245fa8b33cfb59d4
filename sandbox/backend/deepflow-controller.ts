/**
 * DeepFlow's agent list as the chart's read-only agent-state proxy serves it (hnm-server port 20419): the nginx
 * sidecar answers only GET/HEAD /v1/vtaps/ (405 for other methods, 404 for other paths; the rules are in
 * charts/harvester-network-monitoring-stack/templates/server/agent-state-proxy-configmap.yaml and exercised
 * with real nginx in tests/chart/agent-state-proxy.test.ts), and the controller answers the list.
 *
 * The answer has exactly the shape DeepFlow v7.1.8 builds: response.JSON with RawResponse
 * {OPT_STATUS, DESCRIPTION, DATA} (server/controller/http/common/response/response.go) and DATA a []model.Vtap
 * (server/controller/model/model.go; every field, as Go encodes a struct without omitempty), filled as
 * server/controller/http/service/vtap.go Agent.Get fills it: EXCEPTIONS one value per set bit (null when none:
 * a nil slice), SYNCED_*_AT in GO_BIRTHDAY format for pod-node agents, ARCH_TYPE/OS_TYPE from
 * common/os.go. Each seeded node has one agent, named as the querier's agent list names it; the node of
 * AGENT_SCENARIO.exceptionNode reports its exception bit, every other agent none.
 */
import { exceptionBits } from '../../pkg/harvester-network-monitoring/domain/agents/controller-agents';
import { JsonObject } from './http';
import { AGENT_SCENARIO, NODES } from './seed/constants';

export const AGENT_STATE_PORT = 20419;

const VTAP_TYPE_POD_HOST = 7; // server/controller/common/const.go VTAP_TYPE_POD_HOST ("K8S_BM")
const VTAP_STATE_NORMAL = 1; // VTAP_STATE_NORMAL ("RUNNING")
const ARCH_X86 = 1; // common/os.go GetArchType("x86_64")
const OS_SUSE = 4; // common/os.go GetOsType("SUSE Linux Enterprise Micro ...")
const BOOT_TIME = 1776675600; // 2026-04-20 09:00:00 UTC, the seeded install time

export interface SeedAgent {
  name: string;
  ip: string;
  kernel?: string;
  state?: number;
  /** The agent's exception bitmask (message/agent.proto enum Exception values ORed). */
  exceptions?: number;
}

/** model.Vtap for one agent, field by field in the struct's order. */
export function vtap(agent: SeedAgent, index: number): JsonObject {
  const bits = exceptionBits(agent.exceptions ?? 0);
  const id = index + 1;

  return {
    ID:                           id,
    NAME:                         agent.name,
    STATE:                        agent.state ?? VTAP_STATE_NORMAL,
    ENABLE:                       1,
    LAUNCH_SERVER:                agent.ip,
    LAUNCH_SERVER_ID:             id,
    TYPE:                         VTAP_TYPE_POD_HOST,
    CTRL_IP:                      agent.ip,
    CTRL_MAC:                     `52:54:00:00:10:${ (0x11 + index).toString(16) }`,
    CONTROLLER_IP:                '10.52.0.210',
    ANALYZER_IP:                  '10.52.0.210',
    CUR_CONTROLLER_IP:            '10.52.0.210',
    CUR_ANALYZER_IP:              '10.52.0.210',
    SYNCED_CONTROLLER_AT:         '2026-04-20 09:05:00',
    SYNCED_ANALYZER_AT:           '2026-04-20 09:05:00',
    BOOT_TIME,
    REVISION:                     'v7.1.8',
    UPGRADE_REVISION:             '',
    COMPLETE_REVISION:            'b4b8c9e2d',
    EXCEPTIONS:                   bits.length ? bits : null,
    VTAP_GROUP_LCUUID:            'ffffffff-ffff-ffff-ffff-ffffffffffff',
    VTAP_GROUP_NAME:              'default',
    AZ:                           'ffffffff-ffff-ffff-ffff-ffffffffffff',
    AZ_NAME:                      'harvester-e2e',
    REGION:                       'ffffffff-ffff-ffff-ffff-ffffffffffff',
    REGION_NAME:                  '系统默认',
    EPC_ID:                       1,
    EPC_NAME:                     'harvester-e2e',
    POD_CLUSTER_ID:               1,
    POD_CLUSTER_NAME:             'harvester-e2e',
    CPU_NUM:                      16,
    MEMORY_SIZE:                  67108864000,
    ARCH:                         'x86_64',
    ARCH_TYPE:                    ARCH_X86,
    OS:                           'SUSE Linux Enterprise Micro 5.5',
    OS_TYPE:                      OS_SUSE,
    KERNEL_VERSION:               agent.kernel ?? '5.14.21-150500.55.97-default',
    PROCESS_NAME:                 'deepflow-agent-ce',
    CURRENT_K8S_IMAGE:            'docker.io/deepflowce/deepflow-agent:v7.1.8',
    LICENSE_TYPE:                 0,
    LICENSE_FUNCTIONS:            [],
    ENABLE_FEATURES:              [],
    DISABLE_FEATURES:             [],
    FOLLOW_GROUP_FEATURES:        [],
    FOLLOW_GROUP_ENABLE_FEATURES: null,
    EXPECTED_REVISION:            '',
    UPGRADE_PACKAGE:              '',
    TAP_MODE:                     0,
    LCUUID:                       `0c7e${ String(id).padStart(4, '0') }-7c1e-4f3a-9d2b-5e0a1b2c3d4e`,
    TEAM_ID:                      1,
  };
}

/** The controller's whole answer to GET /v1/vtaps/ (DATA null without agents, as Go encodes a nil slice). */
export function vtapListAnswer(agents: SeedAgent[]): JsonObject {
  return { OPT_STATUS: 'SUCCESS', DESCRIPTION: '', DATA: agents.length ? agents.map(vtap) : null };
}

/** The seeded cluster's agents, named `<node>-P<n>` like the querier's agent list (querier.ts answerAgentList). */
export function seededAgents(): SeedAgent[] {
  return NODES.map((n, i) => ({
    name:       `${ n.name }-P${ i + 1 }`,
    ip:         n.ip,
    exceptions: n.name === AGENT_SCENARIO.exceptionNode.node ? AGENT_SCENARIO.exceptionNode.bit : 0,
  }));
}

export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** What the agent-state port answers: nginx's refusals, else the controller's list. */
export function answerAgentStateProxy(method: string, subPath: string): ProxyAnswer {
  const text = (status: number, body: string, headers?: Record<string, string>): ProxyAnswer => ({
    status, contentType: 'text/plain', body, headers
  });

  if (subPath !== '/v1/vtaps/') {
    return text(404, 'not found: this port serves only GET /v1/vtaps/\n');
  }
  const allow = { allow: 'GET, HEAD', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

  if (method !== 'GET' && method !== 'HEAD') {
    return text(405, 'method not allowed: only GET and HEAD\n', allow);
  }

  return {
    status: 200, contentType: 'application/json; charset=utf-8', body: method === 'HEAD' ? '' : JSON.stringify(vtapListAnswer(seededAgents())), headers: allow
  };
}
