import { agentHealthRows, controllerProblems, controllerStateFor } from '@pkg/domain/agents/health';
import { agentRowView, agentTableNotes } from '@pkg/domain/agents/view';
import {
  DEEPFLOW_AGENT_STATES, DEEPFLOW_EXCEPTIONS, UNKNOWN_EXCEPTION_ID, deepflowAgentState, deepflowException
} from '@pkg/domain/agents/deepflow-exceptions';
import { ControllerAgents, ControllerUnknownReason } from '@pkg/domain/agents/controller-agents';
import { hasKey, translate } from '../../support/l10n';
import { agentPod, controller, input, node } from './fixtures';
import recorded from './deepflow-v7.1.8-agent-exceptions.json';

const say = (cell: any) => ('plain' in cell ? cell.plain : translate(cell.key, cell.params));
const pod = { name: 'hnm-agent-node-1', state: 'running' as const, reason: '', restarts: 0, version: 'v7.1.8' };

describe('the DeepFlow 7.1.8 tables', () => {
  it('cover every exception bit of message/agent.proto and the controller\'s VTAP_EXCEPTION_*, by name and value', () => {
    const fromSource = { ...recorded.agentExceptions, ...recorded.controllerExceptions } as Record<string, number>;

    delete fromSource.NORMAL;
    expect(Object.fromEntries(DEEPFLOW_EXCEPTIONS.map((e) => [e.name, e.value]))).toEqual(fromSource);
    DEEPFLOW_EXCEPTIONS.forEach((e) => expect(e.source).toMatch(/v7\.1\.8$/));
  });

  it('map every STATE value of server/controller/common/const.go', () => {
    expect(Object.fromEntries(Object.entries(recorded.states).map(([name, v]) => [name, deepflowAgentState(v)]))).toEqual({
      VTAP_STATE_NOT_CONNECTED: 'lost', VTAP_STATE_NORMAL: 'running', VTAP_STATE_DISABLE: 'disabled', VTAP_STATE_PENDING: 'pending'
    });
    expect(deepflowAgentState(4)).toBeUndefined();
    expect(deepflowAgentState(-1)).toBeUndefined();
    expect(Object.keys(DEEPFLOW_AGENT_STATES)).toHaveLength(4);
  });

  it('every exception id has an English sentence and fix', () => {
    for (const id of [...new Set(DEEPFLOW_EXCEPTIONS.map((e) => e.id)), UNKNOWN_EXCEPTION_ID]) {
      expect([id, hasKey(`networkMonitoring.agents.exceptions.${ id }.text`), hasKey(`networkMonitoring.agents.exceptions.${ id }.fix`)]).toEqual([id, true, true]);
    }
    expect(deepflowException(2048)).toBeUndefined(); // deprecated in agent.proto
  });
});

describe('the DeepFlow state of a node\'s agent', () => {
  it('matches the agent by name as registration does, the newest ID winning', () => {
    const list: ControllerAgents = {
      state:  'ok',
      agents: [
        { id: 3, name: 'node-1-P1', state: 1, exceptions: [], ctrlIp: '', launchServer: '' },
        { id: 9, name: 'node-1-P7', state: 0, exceptions: [64], ctrlIp: '', launchServer: '' },
        { id: 12, name: 'node-10-P2', state: 1, exceptions: [], ctrlIp: '', launchServer: '' },
        { id: 13, name: 'node-1-Px', state: 1, exceptions: [], ctrlIp: '', launchServer: '' },
      ],
    };

    expect(controllerStateFor('node-1', list)).toEqual({
      state: 'listed', name: 'node-1-P7', agentId: 9, deepflowState: 'lost', stateValue: 0, exceptions: [64]
    });
    expect(controllerStateFor('node-2', list)).toEqual({ state: 'not-listed' });
    expect(controllerStateFor('node-1', { state: 'loading' })).toEqual({ state: 'unknown', reason: 'loading' });
    expect(controllerStateFor('node-1', undefined)).toEqual({ state: 'unknown', reason: 'loading' });
    expect(controllerStateFor('node-1', { state: 'unknown', reason: 'forbidden', status: 403 })).toEqual({ state: 'unknown', reason: 'forbidden' });
  });

  it('shows each state as text and makes lost, disabled and pending problems; running is none', () => {
    const cases: [number, string, string[]][] = [
      [1, 'DeepFlow state: running', []],
      [0, 'DeepFlow state: lost', ['error DeepFlow\'s controller lost contact with agent node-1-P1: it has not synced for a while.']],
      [2, 'DeepFlow state: disabled', ['warning Agent node-1-P1 is disabled in DeepFlow: it captures nothing.']],
      [3, 'DeepFlow state: pending', ['warning Agent node-1-P1 is known to DeepFlow\'s controller but not registered yet.']],
      [7, 'DeepFlow state: 7 (not known to this extension)', []],
    ];

    for (const [state, text, problems] of cases) {
      const [row] = agentHealthRows(input({ controller: controller({ 'node-1': { state } }) }));
      const v = agentRowView(row, 'local');

      expect([state, say(v.deepflowState), v.problems.map((p) => `${ p.severity } ${ say(p.text) }`)]).toEqual([state, text, problems]);
      expect(row.status).toBe(problems.length ? 'problems' : 'healthy');
      v.problems.forEach((p) => expect(say(p.fix)).not.toMatch(/networkMonitoring/));
    }
  });

  it('turns each exception bit into its sentence and fix, with the bit named', () => {
    for (const e of DEEPFLOW_EXCEPTIONS) {
      const [problem] = controllerProblems({
        state: 'listed', name: 'n-P1', agentId: 1, deepflowState: 'running', stateValue: 1, exceptions: [e.value]
      }, pod);

      expect(problem).toEqual({
        id:       'deepflow-exception',
        severity: e.severity,
        textKey:  `networkMonitoring.agents.exceptions.${ e.id }.text`,
        fixKey:   `networkMonitoring.agents.exceptions.${ e.id }.fix`,
        params:   { bits: e.name, pod: pod.name },
      });
      expect(translate(problem.textKey, problem.params)).toContain(e.name);
    }
  });

  it('bits sharing a sentence give one problem naming each; unknown bits say so; an error bit makes the group an error', () => {
    const problems = controllerProblems({
      state: 'listed', name: 'n-P1', agentId: 1, deepflowState: 'running', stateValue: 1, exceptions: [8, 16, 131072, 2048, 2 ** 40]
    }, pod);

    expect(problems.map((p) => [p.severity, translate(p.textKey, p.params)])).toEqual([
      ['warning', 'The agent reports a packet-broker (NPB) problem (NPB_FUSE, NPB_BPS_THRESHOLD_EXCEEDED, NPB_SOCKET_ERROR), a DeepFlow Enterprise feature this chart does not configure.'],
      ['warning', 'DeepFlow reports exception bits this extension does not know (0x800, 0x10000000000).'],
    ]);
  });

  it('a row with an exception has problems, with the sentence and fix translated', () => {
    const [row] = agentHealthRows(input({ controller: controller({ 'node-1': { exceptions: 64 } }) }));
    const v = agentRowView(row, 'local');

    expect(row.status).toBe('problems');
    expect(say(v.deepflowState)).toBe('DeepFlow state: running');
    expect(v.problems.map((p) => [p.severity, say(p.text), say(p.fix)])).toEqual([[
      'error',
      'The agent hit its capture rate limit and skipped packets (RX_PPS_THRESHOLD_EXCEEDED).',
      'Raise inputs.cbpf.tunning.max_capture_pps through agent.groupConfig in Edit settings, or narrow the interface pattern.',
    ]]);
  });

  it('not in the controller\'s list, loading, and no agent', () => {
    const [notListed] = agentHealthRows(input({ controller: controller({ 'node-2': {} }) }));

    expect(say(agentRowView(notListed, 'local').deepflowState)).toBe('DeepFlow state: not in the controller\'s list');
    expect(notListed.problems).toEqual([]);
    const [loading] = agentHealthRows(input({ controller: { state: 'loading' } }));

    expect(say(agentRowView(loading, 'local').deepflowState)).toBe('Loading…');
    const [, none] = agentHealthRows(input({ nodes: [node('node-1'), node('node-2')], pods: [agentPod('node-1')] }));

    expect(none.controllerState).toEqual({ state: 'unknown', reason: 'no-agent' });
    expect(agentRowView(none, 'local').deepflowState).toBeNull();
  });

  it('an unreadable list: each row says "unknown" with why, the note says what to do', () => {
    const reasons: ControllerUnknownReason[] = ['forbidden', 'not-found', 'proxy-missing', 'unreachable', 'controller-down', 'server-error', 'bad-response', 'timeout', 'network', 'location'];

    for (const reason of reasons) {
      const list: ControllerAgents = {
        state: 'unknown', reason, status: 503, detail: 'dial tcp: i/o timeout'
      };
      const [row] = agentHealthRows(input({ controller: list }));
      const cell = say(agentRowView(row, 'local').deepflowState);
      const notes = agentTableNotes({ state: 'ok', dispatcher: [], flowMap: [], agents: [] }, 'unknown', list);
      const note = notes.find((n) => n.key === `networkMonitoring.agents.controllerNotes.${ reason }`);

      expect([reason, cell]).toEqual([reason, expect.stringMatching(/^DeepFlow state unknown: \S/)]);
      expect(note).toBeDefined();
      expect(translate(note!.key, note!.params)).not.toMatch(/[{}]|networkMonitoring/);
      expect(row.problems).toEqual([]);
    }
    const [row] = agentHealthRows(input({ controller: { state: 'unknown', reason: 'forbidden', status: 403 } }));

    expect(say(agentRowView(row, 'local').deepflowState)).toBe('DeepFlow state unknown: not permitted');
    expect(translate('networkMonitoring.agents.controllerNotes.unreachable', agentTableNotes({
      state: 'ok', dispatcher: [], flowMap: [], agents: []
    }, 'unknown', { state: 'unknown', reason: 'unreachable', detail: 'no endpoints available for service "hnm-server"' })[1].params))
      .toBe('DeepFlow states could not be read: the API server could not reach port 20419 of hnm-server (no endpoints available for service "hnm-server"). Check that the server pod is ready and that networkPolicy.apiServerCIDRs (or nodeCIDRs) holds the API server\'s addresses.');
  });
});
