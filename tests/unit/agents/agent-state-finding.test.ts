/**
 * The Security Review names the read-only agent-state port, from the objects alone: in the wizard's review of the
 * chart's rendered manifests and in a live review of the same objects.
 */
import { reviewChart } from '@pkg/domain/security/chart-review';
import { Finding, reviewObjects } from '@pkg/domain/security';
import { renderedObjects } from '@pkg/domain/security/renderings';
import { findingTextKey } from '@pkg/domain/security/catalog';
import { translate } from '../../support/l10n';

const agentState = (findings: Finding[]) => findings.filter((f) => f.id === 'exposure.agentStateProxy');

describe('Security Review: the agent-state proxy', () => {
  it('the rendered chart opens port 20419 of hnm-server for GET /v1/vtaps/ only, as information', () => {
    const [f, ...more] = agentState(reviewChart(renderedObjects('proxy'), ['192.168.10.0/24']).findings);

    expect(more).toEqual([]);
    expect(f).toEqual({
      id:       'exposure.agentStateProxy',
      analysis: 'exposure',
      severity: 'info',
      object:   { kind: 'Service', namespace: 'harvester-network-monitoring', name: 'hnm-server' },
      params:   {
        service: 'hnm-server', namespace: 'harvester-network-monitoring', port: 20419, path: '/v1/vtaps/', controllerPort: 20417
      },
    });
    expect(translate(findingTextKey(f.id, 'explanation'), f.params)).toMatch(
      /^Port 20419 on hnm-server \(namespace harvester-network-monitoring\) admits API-server-proxied traffic for GET \/v1\/vtaps\/ only: .*agent list \(name, state, exceptions.*port 20417: unauthenticated, with write endpoints\) stays closed/
    );
    expect(translate(findingTextKey(f.id, 'fix'), f.params)).toContain('server.agentStateProxy.enabled');
  });

  it('appears in a live review of the installed objects, and not without the port', () => {
    const objects = renderedObjects('proxy');

    expect(agentState(reviewObjects(objects).findings)).toHaveLength(1);
    const without = objects.map((o: any) => (o.kind === 'Service' && o.metadata.name === 'hnm-server' ? {
      ...o, spec: { ...o.spec, ports: o.spec.ports.filter((p: any) => p.name !== 'agent-state') }
    } : o));

    expect(agentState(reviewObjects(without).findings)).toEqual([]);
  });

  it('the API server may reach the port under the chart\'s NetworkPolicy, and never the controller\'s 20417', () => {
    const policy: any = renderedObjects('proxy').find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === 'hnm-server');
    const fromIpBlocks = policy.spec.ingress.filter((r: any) => r.from.every((p: any) => p.ipBlock));
    const ports = fromIpBlocks.flatMap((r: any) => r.ports.map((p: any) => p.port));

    expect(ports).toContain(20419);
    expect(ports).not.toContain(20417);
  });
});
