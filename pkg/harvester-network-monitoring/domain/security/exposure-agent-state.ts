import { AGENT_STATE_PROXY } from '../agents/controller-agents';
import { finding } from './finding';
import { num, rec, records, text } from '../guards';
import { ObjectIndex } from './objects';
import { Finding } from './types';

/**
 * The read-only agent-state proxy (chart: server.agentStateProxy, README "Agent state and exceptions"): a
 * Service port that targets the sidecar's named port `agent-state` admits API-server-proxied traffic for
 * GET /v1/vtaps/ only. Reported as information, once per Service, so the wizard's review of the rendered chart
 * and the live review both say exactly which port and path is opened.
 */
export function reviewAgentStateProxy(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const svc of index.ofKind('Service')) {
    if (!index.inFocus(svc.namespace)) {
      continue;
    }
    for (const port of records(rec(svc.raw.spec).ports)) {
      const number = num(port.port);

      if (number !== undefined && (text(port.targetPort) === AGENT_STATE_PROXY.portName || text(port.name) === AGENT_STATE_PROXY.portName)) {
        out.push(finding('exposure.agentStateProxy', 'exposure', 'info', svc.ref, {
          service: svc.name, namespace: svc.namespace || '', port: number, path: AGENT_STATE_PROXY.path, controllerPort: AGENT_STATE_PROXY.controllerPort
        }));
      }
    }
  }

  return out;
}
