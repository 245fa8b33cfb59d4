import { reviewObjects } from '@pkg/domain/security';
import { Finding } from '@pkg/domain/security/types';
import { goodObjects, seedObjects } from './fixtures';
import {
  Json, namespace, plainSpec, psaLabels, restrictedSpec, workload
} from './helpers';

/** Pod Security findings: admission outcome per template, privileges per rule, documented agent privileges. */

const pssFindings = (objects: Json[], options = {}) => reviewObjects(objects, { analyses: ['pss'], ...options }).findings;
const ids = (findings: Finding[]) => findings.map((f) => `${ f.severity }${ f.expected ? '*' : '' } ${ f.id }`);

function agentSpec(extra: Json = {}): Json {
  return {
    hostNetwork: true,
    hostPID:     true,
    containers:  [{
      name:            'agent',
      image:           'deepflowce/deepflow-agent:v7.1.0',
      securityContext: { capabilities: { add: ['SYS_ADMIN', 'BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'] } },
      volumeMounts:    [{ name: 'debugfs', mountPath: '/sys/kernel/debug', readOnly: true }],
    }],
    volumes: [{ name: 'debugfs', hostPath: { path: '/sys/kernel/debug' } }],
    ...extra,
  };
}

const agentLabels = { labels: { 'app.kubernetes.io/component': 'agent' } };

describe('admission findings', () => {
  it('a template the enforce level rejects is critical and names the rules', () => {
    const f = pssFindings([namespace('apps', psaLabels('baseline')), workload('Deployment', 'web', 'apps', plainSpec({}, { hostPID: true }))]);
    const rejected = f.find((x) => x.id === 'pss.admission.rejected');

    expect(rejected).toMatchObject({
      severity: 'critical', object: { kind: 'Deployment', namespace: 'apps', name: 'web' }, params: { level: 'baseline', rules: 'hostNamespaces' }
    });
  });
  it('a template that only violates warn/audit is a warning naming the modes', () => {
    const f = pssFindings([namespace('apps', psaLabels('baseline', 'restricted', 'restricted')), workload('Deployment', 'web', 'apps', plainSpec())]);
    const warned = f.find((x) => x.id === 'pss.admission.warned');

    expect(warned).toMatchObject({ severity: 'warning', params: { modes: 'warn, audit', level: 'restricted' } });
    expect(f.some((x) => x.id === 'pss.admission.rejected')).toBe(false);
  });
  it('a restricted-compliant template in a restricted namespace has no admission finding', () => {
    const f = pssFindings([namespace('apps', psaLabels('restricted')), workload('StatefulSet', 'db', 'apps', restrictedSpec())]);

    expect(f).toEqual([]);
  });
  it.each(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'])('evaluates the template of a %s', (kind) => {
    const f = pssFindings([namespace('apps', psaLabels('baseline')), workload(kind, 'w', 'apps', plainSpec({ securityContext: { privileged: true } }))]);

    expect(f.find((x) => x.id === 'pss.admission.rejected')?.object.kind).toBe(kind);
  });
  it('reviews a Pod once through its owner when the owner is in the input', () => {
    const rs = workload('ReplicaSet', 'web-abc', 'apps', plainSpec({ securityContext: { privileged: true } }));
    const pod = workload('Pod', 'web-abc-1', 'apps', plainSpec({ securityContext: { privileged: true } }));

    pod.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }];
    const f = pssFindings([namespace('apps'), rs, pod]).filter((x) => x.id === 'pss.baseline.privileged');

    expect(f.map((x) => x.object.kind)).toEqual(['ReplicaSet']);
  });
});

describe('privilege findings', () => {
  it('an unexpected privileged container is critical even where the namespace allows it', () => {
    const f = pssFindings([namespace('infra', psaLabels('privileged')), workload('DaemonSet', 'x', 'infra', plainSpec({ securityContext: { privileged: true } }))]);

    expect(ids(f)).toContain('critical pss.baseline.privileged');
  });
  it('other baseline violations without documentation are warnings', () => {
    const f = pssFindings([namespace('infra', psaLabels('privileged')), workload('Deployment', 'x', 'infra', plainSpec({ ports: [{ containerPort: 80, hostPort: 80 }] }))]);

    expect(ids(f)).toContain('warning pss.baseline.hostPorts');
  });
  it('restricted-only gaps are info hints', () => {
    const f = pssFindings([namespace('apps', psaLabels('baseline')), workload('Deployment', 'x', 'apps', plainSpec())]);

    expect(f.filter((x) => x.id.startsWith('pss.restricted.')).every((x) => x.severity === 'info')).toBe(true);
    expect(f.map((x) => x.id)).toEqual(expect.arrayContaining(['pss.restricted.runAsNonRoot', 'pss.restricted.seccompProfile_restricted']));
  });
});

describe('documented agent privileges', () => {
  it('are info with expected=true in a privileged namespace', () => {
    const f = pssFindings([namespace('agents', psaLabels('privileged', 'baseline')), workload('DaemonSet', 'agent', 'agents', agentSpec(), agentLabels)]);
    const baselineFindings = f.filter((x) => x.id.startsWith('pss.baseline.') || x.id.startsWith('pss.admission.'));

    expect(baselineFindings.length).toBeGreaterThan(0);
    expect(baselineFindings.every((x) => x.expected === true && x.severity === 'info')).toBe(true);
    expect(f.some((x) => x.severity === 'critical')).toBe(false);
    expect(ids(baselineFindings)).toEqual(expect.arrayContaining([
      'info* pss.baseline.capabilities_baseline', 'info* pss.baseline.hostNamespaces', 'info* pss.baseline.hostPathVolumes', 'info* pss.admission.warned',
    ]));
  });
  it('include the host ports that host networking implies', () => {
    const spec = agentSpec();

    spec.containers[0].ports = [{ containerPort: 38086, name: 'receive' }];
    const f = pssFindings([namespace('agents', psaLabels('privileged')), workload('DaemonSet', 'agent', 'agents', spec, agentLabels)]);

    expect(f.find((x) => x.id === 'pss.baseline.hostPorts')).toMatchObject({ severity: 'info', expected: true, params: { values: '38086' } });
  });
  it('also match by the workload labels (the seed labels only the DaemonSet)', () => {
    const ds = workload('DaemonSet', 'agent', 'agents', agentSpec(), { labels: { app: 'deepflow-agent' }, metaLabels: { 'app.kubernetes.io/component': 'agent' } });
    const f = pssFindings([namespace('agents', psaLabels('privileged')), ds]);

    expect(f.find((x) => x.id === 'pss.baseline.hostNamespaces')?.expected).toBe(true);
  });
  it('accept AppArmor unconfined through the annotation and the field', () => {
    const annotated = workload('DaemonSet', 'a1', 'agents', agentSpec(), { ...agentLabels, annotations: { 'container.apparmor.security.beta.kubernetes.io/agent': 'unconfined' } });
    const field = workload('DaemonSet', 'a2', 'agents', agentSpec({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), agentLabels);
    const f = pssFindings([namespace('agents', psaLabels('privileged')), annotated, field]).filter((x) => x.id === 'pss.baseline.appArmorProfile');

    // a1's annotation is also copied into its container field on create, as the API server does.
    expect(f).toHaveLength(3);
    expect(f.every((x) => x.expected && x.severity === 'info')).toBe(true);
  });
  it.each([
    ['privileged: true', (s: Json) => {
      s.containers[0].securityContext.privileged = true;
    }, 'pss.baseline.privileged'],
    ['an extra capability', (s: Json) => {
      s.containers[0].securityContext.capabilities.add.push('SYS_MODULE');
    }, 'pss.baseline.capabilities_baseline'],
    ['a writable documented hostPath', (s: Json) => {
      s.containers[0].volumeMounts[0].readOnly = false;
    }, 'pss.baseline.hostPathVolumes'],
    ['an undocumented read-only hostPath', (s: Json) => {
      s.volumes.push({ name: 'root', hostPath: { path: '/' } });
      s.containers[0].volumeMounts.push({ name: 'root', mountPath: '/host', readOnly: true });
    }, 'pss.baseline.hostPathVolumes'],
    ['a path that climbs out of a documented one', (s: Json) => {
      s.volumes[0].hostPath.path = '/sys/kernel/debug/../../../etc';
    }, 'pss.baseline.hostPathVolumes'],
    ['hostIPC', (s: Json) => {
      s.hostIPC = true;
    }, 'pss.baseline.hostNamespaces'],
    ['a privileged init container', (s: Json) => {
      s.initContainers = [{ name: 'sysctl', image: 'x:1', securityContext: { privileged: true } }];
    }, 'pss.baseline.privileged'],
  ])('anything beyond them stays critical: %s', (_name, mutate, id) => {
    const spec = agentSpec();

    mutate(spec);
    const f = pssFindings([namespace('agents', psaLabels('privileged')), workload('DaemonSet', 'agent', 'agents', spec, agentLabels)]);
    const critical = f.filter((x) => x.id === id && x.severity === 'critical');

    expect(critical).toHaveLength(1);
    expect(critical[0].expected).toBeUndefined();
  });
  it('the expected part and the unexpected part of one rule are split', () => {
    const spec = agentSpec();

    spec.hostIPC = true;
    const f = pssFindings([namespace('agents', psaLabels('privileged')), workload('DaemonSet', 'agent', 'agents', spec, agentLabels)])
      .filter((x) => x.id === 'pss.baseline.hostNamespaces');

    expect(f.map((x) => [x.severity, x.params.values, !!x.expected])).toEqual([
      ['critical', 'hostIPC', false], ['info', 'hostNetwork, hostPID', true],
    ]);
  });
  it('are not expected where the namespace enforces baseline: the agent is rejected (critical)', () => {
    const f = pssFindings([namespace('agents', psaLabels('baseline')), workload('DaemonSet', 'agent', 'agents', agentSpec(), agentLabels)]);

    expect(ids(f)).toEqual(expect.arrayContaining(['critical pss.admission.rejected', 'critical pss.baseline.capabilities_baseline']));
    expect(f.some((x) => x.expected)).toBe(false);
  });
  it('apply only to matching labels; the same spec elsewhere is critical', () => {
    const f = pssFindings([namespace('agents', psaLabels('privileged')), workload('DaemonSet', 'other', 'agents', agentSpec())]);

    expect(ids(f)).toEqual(expect.arrayContaining(['critical pss.baseline.capabilities_baseline', 'critical pss.baseline.hostNamespaces']));
  });
  it('can be replaced or switched off through options', () => {
    const objects = [namespace('agents', psaLabels('privileged')), workload('DaemonSet', 'agent', 'agents', agentSpec(), agentLabels)];

    expect(pssFindings(objects, { expectedPrivileges: [] }).some((x) => x.expected)).toBe(false);
    const custom = pssFindings(objects, {
      expectedPrivileges: [{
        id: 'custom', selector: { matchLabels: { 'app.kubernetes.io/component': 'agent' } }, hostNamespaces: ['hostNetwork', 'hostPID']
      }]
    });

    expect(custom.find((x) => x.id === 'pss.baseline.hostNamespaces')).toMatchObject({ expected: true, params: { profile: 'custom' } });
    expect(custom.find((x) => x.id === 'pss.baseline.capabilities_baseline')?.severity).toBe('critical');
  });
});

describe('namespace findings', () => {
  it('flags an unlabelled namespace, invalid labels and namespaces missing from the input', () => {
    const f = pssFindings([
      namespace('plain'), workload('Deployment', 'a', 'plain', restrictedSpec()),
      namespace('typo', psaLabels('strict')), workload('Deployment', 'b', 'typo', restrictedSpec()),
      workload('Deployment', 'c', 'ghost', restrictedSpec()),
    ]);

    expect(f.filter((x) => x.id.startsWith('pss.namespace.')).map((x) => `${ x.id } ${ x.params.namespace }`)).toEqual([
      'pss.namespace.invalidLabel typo', 'pss.namespace.unlabelled plain', 'pss.namespace.notFound ghost',
    ]);
  });
  it('reports exempt namespaces and admits everything there', () => {
    const f = pssFindings([namespace('sys', psaLabels('restricted')), workload('DaemonSet', 'x', 'sys', plainSpec({}, { hostPID: true }))], { exemptNamespaces: ['sys'] });

    expect(f.map((x) => x.id)).toContain('pss.namespace.exempt');
    expect(f.map((x) => x.id)).not.toContain('pss.admission.rejected');
  });
  it('uses cluster admission defaults for unlabelled namespaces', () => {
    const f = pssFindings([namespace('plain'), workload('Deployment', 'a', 'plain', plainSpec({}, { hostPID: true }))], { admissionDefaults: { enforce: 'baseline' } });

    expect(f.map((x) => x.id)).toContain('pss.admission.rejected');
    expect(f.map((x) => x.id)).not.toContain('pss.namespace.unlabelled');
  });
});

describe('the design seed and the corrected layout', () => {
  it('seed: privileged agent and writable/undocumented host paths are critical; documented parts are expected', () => {
    const f = pssFindings(seedObjects());

    expect(ids(f.filter((x) => x.severity !== 'info' || x.expected))).toEqual([
      'critical pss.baseline.hostPathVolumes', 'critical pss.baseline.privileged',
      'info* pss.baseline.capabilities_baseline', 'info* pss.baseline.hostNamespaces',
    ]);
  });
  it('corrected layout: nothing above info', () => {
    expect(pssFindings(goodObjects()).filter((x) => x.severity !== 'info')).toEqual([]);
  });
});
