/**
 * What DeepFlow's controller says about an agent (DeepFlow v7.1.8), as data: the `STATE` values and the
 * `EXCEPTIONS` bits of its agent list (`GET /v1/vtaps/`). Each exception has a sentence and a fix under
 * networkMonitoring.agents.exceptions.<id>.{text,fix}; each state a label under networkMonitoring.agents.deepflowState.
 */

export type DeepflowAgentState = 'lost' | 'running' | 'disabled' | 'pending';

/**
 * `STATE` (server/controller/common/const.go VTAP_STATE_*, v7.1.8). The list reports DISABLE for an agent
 * that is switched off in DeepFlow whatever its stored state (server/controller/http/service/vtap.go Get).
 */
export const DEEPFLOW_AGENT_STATES: Record<number, DeepflowAgentState> = {
  0: 'lost', // VTAP_STATE_NOT_CONNECTED ("LOST"): no sync from the agent for a while.
  1: 'running', // VTAP_STATE_NORMAL ("RUNNING")
  2: 'disabled', // VTAP_STATE_DISABLE ("DISABLE")
  3: 'pending', // VTAP_STATE_PENDING ("PENDING"): known to the controller, not registered yet.
};

export interface DeepflowException {
  /** The bit's value as the list gives it (1 << bit). */
  value: number;
  /** The name in DeepFlow's source. */
  name: string;
  /** l10n id below networkMonitoring.agents.exceptions. */
  id: string;
  severity: 'error' | 'warning';
  /** Where DeepFlow defines it (and, for the sentence, where it is set). */
  source: string;
}

const PROTO = 'message/agent.proto enum Exception, v7.1.8';
const CONTROLLER = 'server/controller/common/const.go VTAP_EXCEPTION_*, v7.1.8';

/**
 * Bits up to 2^31 are the agent's own (it reports them in every sync), 2^30 and above the controller's
 * (agent.proto's closing comment). Several agent bits clear themselves after each report
 * (agent/src/exception.rs AUTO_CLEAR_BITS): socket errors, rate limits, thread and process counts.
 */
export const DEEPFLOW_EXCEPTIONS: readonly DeepflowException[] = [
  // agent/src/utils/environment.rs: free space where the agent writes its log is below what it needs.
  { value: 1, name: 'DISK_NOT_ENOUGH', id: 'disk-not-enough', severity: 'warning', source: PROTO },
  { value: 2, name: 'MEM_NOT_ENOUGH', id: 'mem-not-enough', severity: 'warning', source: PROTO },
  { value: 4, name: 'COREFILE_TOO_MANY', id: 'corefile-too-many', severity: 'warning', source: PROTO },
  // NPB (packet broker) bits: a DeepFlow Enterprise feature this chart does not configure.
  { value: 8, name: 'NPB_FUSE', id: 'npb', severity: 'warning', source: PROTO },
  { value: 16, name: 'NPB_BPS_THRESHOLD_EXCEEDED', id: 'npb', severity: 'warning', source: PROTO },
  { value: 32, name: 'NPB_NO_GW_ARP', id: 'npb', severity: 'warning', source: PROTO },
  // agent/src/dispatcher/base_dispatcher.rs: the capture rate limiter (max_capture_pps) ran out of tokens.
  { value: 64, name: 'RX_PPS_THRESHOLD_EXCEEDED', id: 'rx-pps-threshold', severity: 'error', source: PROTO },
  { value: 128, name: 'ANALYZER_NO_GW_ARP', id: 'analyzer-no-gw-arp', severity: 'error', source: PROTO },
  // agent/src/rpc/synchronizer.rs: the configuration the server sent was rejected.
  { value: 256, name: 'INVALID_CONFIGURATION', id: 'invalid-configuration', severity: 'error', source: PROTO },
  // agent/src/utils/guard.rs: more threads than thread_threshold (at twice the limit the agent restarts).
  { value: 512, name: 'THREAD_THRESHOLD_EXCEEDED', id: 'thread-threshold', severity: 'warning', source: PROTO },
  { value: 1024, name: 'PROCESS_THRESHOLD_EXCEEDED', id: 'process-threshold', severity: 'warning', source: PROTO },
  // 2048 is deprecated in agent.proto.
  { value: 4096, name: 'TOO_MANY_POLICIES', id: 'too-many-policies', severity: 'warning', source: PROTO },
  // agent/src/utils/guard.rs check_sys_memory: free system memory below sys_memory_percentage; the agent disables itself.
  { value: 8192, name: 'FREE_MEM_EXCEEDED', id: 'free-mem-circuit-breaker', severity: 'error', source: PROTO },
  // agent/src/utils/guard.rs: the log files grew past max_local_log_file_size and were truncated.
  { value: 16384, name: 'LOG_FILE_EXCEEDED', id: 'log-file-exceeded', severity: 'warning', source: PROTO },
  // agent/src/rpc/synchronizer.rs, session.rs: a gRPC call to the server failed.
  { value: 32768, name: 'CONTROLLER_SOCKET_ERROR', id: 'controller-socket-error', severity: 'error', source: PROTO },
  // agent/src/sender/uniform_sender.rs: sending data to the server's ingester failed.
  { value: 65536, name: 'ANALYZER_SOCKET_ERROR', id: 'analyzer-socket-error', severity: 'error', source: PROTO },
  { value: 131072, name: 'NPB_SOCKET_ERROR', id: 'npb', severity: 'warning', source: PROTO },
  // agent/src/integration_collector.rs: the integration listener (OpenTelemetry, Prometheus, ...) failed.
  { value: 262144, name: 'INTEGRATION_SOCKET_ERROR', id: 'integration-socket-error', severity: 'warning', source: PROTO },
  // agent/src/trident.rs: the agent could not set up its cgroup limits.
  { value: 524288, name: 'CGROUPS_CONFIG_ERROR', id: 'cgroups-config-error', severity: 'warning', source: PROTO },
  // agent/src/utils/guard.rs: system load per CPU above relative_sys_load; the agent stops capturing.
  { value: 1048576, name: 'SYSTEM_LOAD_CIRCUIT_BREAKER', id: 'system-load-circuit-breaker', severity: 'error', source: PROTO },
  // agent/src/sender/uniform_sender.rs: the send rate limit was hit and data was dropped.
  { value: 2097152, name: 'DATA_BPS_THRESHOLD_EXCEEDED', id: 'data-bps-threshold', severity: 'warning', source: PROTO },
  // agent/src/utils/guard.rs: free disk below free_disk thresholds; the agent stops.
  { value: 4194304, name: 'FREE_DISK_CIRCUIT_BREAKER', id: 'free-disk-circuit-breaker', severity: 'error', source: PROTO },
  { value: 8388608, name: 'KERNEL_VERSION_CIRCUIT_BREAKER', id: 'kernel-version-circuit-breaker', severity: 'error', source: PROTO },
  { value: 0x40000000, name: 'VTAP_EXCEPTION_ALLOC_ANALYZER_FAILED', id: 'alloc-analyzer-failed', severity: 'error', source: CONTROLLER },
  { value: 0x80000000, name: 'VTAP_EXCEPTION_ALLOC_CONTROLLER_FAILED', id: 'alloc-controller-failed', severity: 'error', source: CONTROLLER },
  { value: 0x100000000, name: 'VTAP_EXCEPTION_LICENSE_NOT_ENGOUTH', id: 'license', severity: 'error', source: CONTROLLER },
  { value: 0x200000000, name: 'VTAP_EXCEPTION_PRODUCT_NOT_SUPPORTED', id: 'license', severity: 'error', source: CONTROLLER },
  { value: 0x400000000, name: 'VTAP_EXCEPTION_NOT_ALLOWED_CE', id: 'license', severity: 'error', source: CONTROLLER },
];

/** l10n id of a bit this table does not know (a newer DeepFlow). */
export const UNKNOWN_EXCEPTION_ID = 'unknown-bit';

const BY_VALUE = new Map(DEEPFLOW_EXCEPTIONS.map((e) => [e.value, e]));

export function deepflowException(value: number): DeepflowException | undefined {
  return BY_VALUE.get(value);
}

export function deepflowAgentState(value: number): DeepflowAgentState | undefined {
  return Object.prototype.hasOwnProperty.call(DEEPFLOW_AGENT_STATES, value) ? DEEPFLOW_AGENT_STATES[value] : undefined;
}
