import { evaluatePrerequisites, blockingChecks, PrerequisiteInput, defaultStorageClass } from '@pkg/domain/install/prerequisites';
import { PROFILES, computeTotals } from '@pkg/domain/install/sizing';
import { INSTALL_PERMISSIONS } from '@pkg/domain/install/access';

function node(name: string, kernel: string | undefined, cpu = '16', memory = '64Gi') {
  return { kind: 'Node', metadata: { name }, status: { nodeInfo: kernel === undefined ? {} : { kernelVersion: kernel }, allocatable: { cpu, memory } } };
}

const longhorn = { metadata: { name: 'harvester-longhorn', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } };
const other = { metadata: { name: 'fast-ssd' } };

function input(overrides: Partial<PrerequisiteInput> = {}): PrerequisiteInput {
  const nodes = overrides.nodes || [node('n1', '5.14.21-150500.55.19-default'), node('n2', '5.14.21'), node('n3', '6.4.0')];

  return {
    harvesterVersion: 'v1.5.1',
    nodes,
    storageClasses:   [longhorn, other],
    storageClass:     '',
    serverReplicas:   1,
    totals:           computeTotals({
      nodeCount: nodes.length, serverReplicas: overrides.serverReplicas || 1, resources: PROFILES.small, clickhouseStorage: '20Gi', mysqlStorage: '5Gi'
    }),
    agentRequest: PROFILES.small.agent.requests,
    access:       INSTALL_PERMISSIONS.map((p) => ({ ...p, allowed: true })),
    stackState:   'not-installed',
    ...overrides,
  };
}

const byId = (checks: ReturnType<typeof evaluatePrerequisites>, id: string) => checks.find((c) => c.id === id);

describe('evaluatePrerequisites', () => {
  it('passes every check on a healthy 3-node cluster', () => {
    const checks = evaluatePrerequisites(input());

    expect(checks.map((c) => [c.id, c.result])).toEqual([
      ['harvester-version', 'pass'], ['node-count', 'pass'], ['kernel', 'pass'], ['storage-class', 'pass'],
      ['capacity', 'pass'], ['permissions', 'pass'], ['existing-install', 'pass'],
    ]);
    expect(blockingChecks(checks)).toEqual([]);
    expect(byId(checks, 'storage-class')?.params.name).toBe('harvester-longhorn');
  });

  it.each([
    ['v1.3.2', 'warn', 'untested'], ['v1.1.0', 'fail', 'too-old'], ['master-head', 'warn', 'unknown'], [undefined, 'warn', 'unknown'], ['1.6.0-rc1', 'pass', 'supported'],
  ])('rates Harvester %p as %s', (version, result, code) => {
    expect(byId(evaluatePrerequisites(input({ harvesterVersion: version })), 'harvester-version')).toMatchObject({ result, code });
  });

  it('fails with 0 nodes, without dividing by zero anywhere', () => {
    const checks = evaluatePrerequisites(input({ nodes: [] }));

    expect(byId(checks, 'node-count')).toMatchObject({ result: 'fail', code: 'no-nodes' });
    expect(byId(checks, 'kernel')?.result).toBe('warn');
    expect(byId(checks, 'capacity')?.result).toBe('fail');
  });

  it('fails when there are fewer nodes than server replicas', () => {
    expect(byId(evaluatePrerequisites(input({ serverReplicas: 5 })), 'node-count')).toMatchObject({ result: 'fail', code: 'too-few', params: { nodes: 3, replicas: 5 } });
  });

  it('warns, without blocking, naming the nodes whose kernel is too old for eBPF in a mixed cluster (the agent still captures there)', () => {
    const nodes = [node('n1', '5.14.21'), node('old-1', '4.4.180'), node('n3', '4.14.0'), node('odd', 'custom')];
    const checks = evaluatePrerequisites(input({ nodes }));
    const check = byId(checks, 'kernel');

    expect(check).toMatchObject({ result: 'warn', code: 'too-old' });
    expect(check?.params.nodes).toBe('old-1 (4.4.180)');
    expect(blockingChecks(checks).map((c) => c.id)).not.toContain('kernel');
  });

  it('warns when a kernel version cannot be read', () => {
    const nodes = [node('n1', '5.14.21'), node('n2', undefined)];

    expect(byId(evaluatePrerequisites(input({ nodes })), 'kernel')).toMatchObject({ result: 'warn', code: 'unknown', params: { unknown: 'n2' } });
  });

  it('fails without a default StorageClass unless one is chosen', () => {
    expect(byId(evaluatePrerequisites(input({ storageClasses: [other] })), 'storage-class')).toMatchObject({ result: 'fail', code: 'no-default' });
    expect(byId(evaluatePrerequisites(input({ storageClasses: [other], storageClass: 'fast-ssd' })), 'storage-class')).toMatchObject({ result: 'pass', code: 'chosen' });
    expect(byId(evaluatePrerequisites(input({ storageClass: 'gone' })), 'storage-class')).toMatchObject({ result: 'fail', code: 'chosen-missing' });
  });

  it('checks capacity against allocatable and each node against the agent', () => {
    const small = [node('n1', '5.14', '1', '1536Mi'), node('n2', '5.14', '1', '1536Mi'), node('n3', '5.14', '1', '1536Mi')];

    expect(byId(evaluatePrerequisites(input({ nodes: small })), 'capacity')).toMatchObject({ result: 'warn', code: 'tight' });
    const tiny = [node('n1', '5.14', '64', '256Gi'), node('edge', '5.14', '50m', '64Mi')];

    expect(byId(evaluatePrerequisites(input({ nodes: tiny })), 'capacity')).toMatchObject({ result: 'fail', code: 'node-too-small', params: { nodes: 'edge' } });
    const none = [node('n1', '5.14', '500m', '512Mi')];

    expect(byId(evaluatePrerequisites(input({ nodes: none })), 'capacity')).toMatchObject({ result: 'fail', code: 'insufficient' });
  });

  it('names the permission that is missing', () => {
    const access = INSTALL_PERMISSIONS.map((p) => ({ ...p, allowed: p.resource !== 'addons' || p.verb !== 'create' }));
    const check = byId(evaluatePrerequisites(input({ access })), 'permissions');

    expect(check).toMatchObject({ result: 'fail', code: 'denied' });
    expect(check?.params.denied).toBe('create addons.harvesterhci.io (namespace harvester-network-monitoring)');
  });

  it('checks only the permissions of the chosen install source', () => {
    const access = INSTALL_PERMISSIONS.map((p) => ({ ...p, allowed: p.resource !== 'helmcharts' }));

    expect(byId(evaluatePrerequisites(input({ access })), 'permissions')?.result).toBe('pass');
    expect(byId(evaluatePrerequisites(input({ access, source: 'bundled' })), 'permissions')).toMatchObject({ result: 'fail', params: { denied: 'create helmcharts.helm.cattle.io (namespace harvester-network-monitoring)' } });
  });

  it('warns, not fails, when an access review could not be made', () => {
    const access = INSTALL_PERMISSIONS.map((p) => ({ ...p, allowed: false, error: 'timeout' }));

    expect(byId(evaluatePrerequisites(input({ access })), 'permissions')).toMatchObject({ result: 'warn', code: 'unknown' });
  });

  it('blocks a second install', () => {
    const checks = evaluatePrerequisites(input({ stackState: 'healthy' }));

    expect(blockingChecks(checks).map((c) => c.id)).toEqual(['existing-install']);
  });

  it('survives malformed nodes and storage classes', () => {
    const checks = evaluatePrerequisites(input({ nodes: [null, 'x', { status: 'bad' }] as any, storageClasses: [42, { metadata: { annotations: null } }] as any }));

    expect(checks).toHaveLength(7);
  });
});

describe('defaultStorageClass', () => {
  it('reads the beta annotation too', () => {
    expect(defaultStorageClass([{ metadata: { name: 'old', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } } }])).toBe('old');
  });
});
