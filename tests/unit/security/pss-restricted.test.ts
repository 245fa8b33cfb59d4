import { checkPodSpec, forbiddenReasons } from '@pkg/domain/security/pss';
import { Json, restrictedSpec, rulesOf } from './helpers';

/**
 * Restricted rules from the Pod Security Standards tables, plus the precedence rules between pod
 * and container security contexts and the Windows exemptions.
 */

const restricted = (spec: Json, meta: Json = {}, version?: string) => checkPodSpec(meta, spec, 'restricted', { version });

function withInit(spec: Json, sc: Json): Json {
  spec.initContainers = [{ name: 'init', image: 'registry.example/init:1', securityContext: sc }];

  return spec;
}

const compliantContainerSc = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });

describe('restricted: the compliant pod', () => {
  it('passes, also with a compliant init and ephemeral container', () => {
    const spec = withInit(restrictedSpec(), compliantContainerSc());

    spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: compliantContainerSc() }];
    expect(restricted(spec)).toEqual([]);
  });
  it('still enforces every baseline rule', () => {
    const spec = restrictedSpec();

    spec.hostNetwork = true;
    spec.containers[0].securityContext.privileged = true;
    expect(rulesOf(restricted(spec))).toEqual(['hostNamespaces', 'privileged']);
  });
});

describe('restricted: restrictedVolumes', () => {
  it.each([
    { configMap: { name: 'c' } }, { csi: { driver: 'd' } }, { downwardAPI: {} }, { emptyDir: {} }, { ephemeral: { volumeClaimTemplate: {} } },
    { image: { reference: 'x' } }, { persistentVolumeClaim: { claimName: 'p' } }, { projected: { sources: [] } }, { secret: { secretName: 's' } },
  ])('allows %p', (source) => {
    const spec = restrictedSpec();

    spec.volumes = [{ name: 'v', ...source }];
    expect(restricted(spec)).toEqual([]);
  });
  it.each([
    'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
    'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO',
    'storageos',
  ])('forbids %s', (type) => {
    const spec = restrictedSpec();

    spec.volumes = [{ name: 'v', [type]: {} }];
    const v = restricted(spec);

    expect(rulesOf(v)).toEqual(['restrictedVolumes']);
    expect(v[0].detail).toContain(type);
  });
  it('replaces the baseline hostPathVolumes check at the restricted level', () => {
    const spec = restrictedSpec();

    spec.volumes = [{ name: 'sys', hostPath: { path: '/sys' } }];
    expect(rulesOf(restricted(spec))).toEqual(['restrictedVolumes']);
    expect(rulesOf(checkPodSpec({}, spec, 'baseline'))).toEqual(['hostPathVolumes']);
  });
  it('reports a volume with no source as "unknown" when API defaults are not applied', () => {
    const spec = restrictedSpec();

    spec.volumes = [{ name: 'empty' }];
    expect(restricted(spec)).toEqual([]);
    expect(checkPodSpec({}, spec, 'restricted', { applyDefaults: false })[0].detail).toContain('unknown');
  });
});

describe('restricted: allowPrivilegeEscalation', () => {
  it.each([undefined, true])('forbids %p', (value) => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.allowPrivilegeEscalation = value;
    expect(rulesOf(restricted(spec))).toEqual(['allowPrivilegeEscalation']);
  });
  it('checks init containers', () => {
    expect(rulesOf(restricted(withInit(restrictedSpec(), { capabilities: { drop: ['ALL'] } })))).toEqual(['allowPrivilegeEscalation']);
  });
  it('forbids a container without securityContext', () => {
    const spec = restrictedSpec();

    delete spec.containers[0].securityContext;
    expect(rulesOf(restricted(spec))).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted']);
  });
});

describe('restricted: runAsNonRoot precedence', () => {
  const cases: [string, boolean | undefined, (boolean | undefined)[], boolean][] = [
    ['pod true, container unset', true, [undefined], true],
    ['pod true, container true', true, [true], true],
    ['pod true, one container false', true, [undefined, false], false],
    ['pod unset, every container true', undefined, [true, true], true],
    ['pod unset, one container unset', undefined, [true, undefined], false],
    ['pod false, containers true', false, [true], false],
    ['pod false, containers unset', false, [undefined], false],
    ['pod unset, container unset', undefined, [undefined], false],
  ];

  it.each(cases)('%s', (_name, pod, containers, allowed) => {
    const spec = restrictedSpec();

    spec.securityContext.runAsNonRoot = pod;
    spec.containers = containers.map((value, i) => ({
      name: `c${ i }`, image: 'x:1', securityContext: { ...compliantContainerSc(), runAsNonRoot: value }
    }));
    expect(rulesOf(restricted(spec))).toEqual(allowed ? [] : ['runAsNonRoot']);
  });
  it('reports explicit false setters, not implicit ones, when both exist (like the API server)', () => {
    const spec = restrictedSpec();

    delete spec.securityContext.runAsNonRoot;
    spec.containers = [
      { name: 'bad', image: 'x:1', securityContext: { ...compliantContainerSc(), runAsNonRoot: false } },
      { name: 'unset', image: 'x:1', securityContext: compliantContainerSc() },
    ];
    expect(restricted(spec).map((v) => v.container)).toEqual(['bad']);
  });
  it('covers ephemeral containers', () => {
    const spec = restrictedSpec();

    delete spec.securityContext.runAsNonRoot;
    spec.containers[0].securityContext.runAsNonRoot = true;
    spec.ephemeralContainers = [{ name: 'debug', image: 'x:1', securityContext: compliantContainerSc() }];
    expect(restricted(spec)).toEqual([expect.objectContaining({ rule: 'runAsNonRoot', container: 'debug' })]);
  });
  it('is not relaxed for hostUsers=false in a default 1.34 cluster', () => {
    const spec = restrictedSpec();

    delete spec.securityContext.runAsNonRoot;
    spec.hostUsers = false;
    expect(rulesOf(restricted(spec))).toEqual(['runAsNonRoot']);
    expect(checkPodSpec({}, spec, 'restricted', { relaxForUserNamespaces: true })).toEqual([]);
  });
});

describe('restricted: runAsUser', () => {
  it.each([1, 1000, 65534, undefined])('allows %p', (uid) => {
    const spec = restrictedSpec();

    spec.securityContext.runAsUser = uid;
    spec.containers[0].securityContext.runAsUser = uid;
    expect(restricted(spec)).toEqual([]);
  });
  it('forbids 0 at pod level', () => {
    const spec = restrictedSpec();

    spec.securityContext.runAsUser = 0;
    expect(rulesOf(restricted(spec))).toEqual(['runAsUser']);
  });
  it('forbids 0 in a container even if the pod sets a non-zero user', () => {
    const spec = withInit(restrictedSpec(), { ...compliantContainerSc(), runAsUser: 0 });

    spec.securityContext.runAsUser = 1000;
    expect(restricted(spec)).toEqual([expect.objectContaining({ rule: 'runAsUser', container: 'init' })]);
  });
  it('does not exist before policy v1.23', () => {
    const spec = restrictedSpec();

    spec.securityContext.runAsUser = 0;
    expect(restricted(spec, {}, 'v1.22')).toEqual([]);
  });
});

describe('restricted: seccompProfile_restricted precedence', () => {
  it.each(['RuntimeDefault', 'Localhost'])('pod-level %s covers containers without a profile', (type) => {
    const spec = restrictedSpec();

    spec.securityContext.seccompProfile = { type, localhostProfile: 'p.json' };
    expect(restricted(spec)).toEqual([]);
  });
  it('every container setting it is enough without a pod-level profile', () => {
    const spec = restrictedSpec();

    delete spec.securityContext.seccompProfile;
    spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
    expect(restricted(spec)).toEqual([]);
  });
  it('fails when neither pod nor a container sets it', () => {
    const spec = restrictedSpec();

    delete spec.securityContext.seccompProfile;
    expect(restricted(spec)).toEqual([expect.objectContaining({ rule: 'seccompProfile_restricted', container: 'app' })]);
  });
  it('a container-level Unconfined overrides a valid pod-level profile', () => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    expect(rulesOf(restricted(spec))).toEqual(['seccompProfile_restricted']);
  });
  it('a container-level RuntimeDefault does not rescue a pod-level Unconfined', () => {
    const spec = restrictedSpec();

    spec.securityContext.seccompProfile = { type: 'Unconfined' };
    spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
    const v = restricted(spec);

    expect(rulesOf(v)).toEqual(['seccompProfile_restricted']);
    expect(v[0].container).toBeUndefined();
  });
  it('replaces seccompProfile_baseline at the restricted level', () => {
    const spec = restrictedSpec();

    spec.securityContext.seccompProfile = { type: 'Unconfined' };
    expect(rulesOf(checkPodSpec({}, spec, 'baseline'))).toEqual(['seccompProfile_baseline']);
    expect(rulesOf(restricted(spec))).toEqual(['seccompProfile_restricted']);
  });
});

describe('restricted: capabilities_restricted', () => {
  it('allows drop ALL with add NET_BIND_SERVICE', () => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
    expect(restricted(spec)).toEqual([]);
  });
  it.each([[['NET_RAW']], [['CHOWN']], [['SYS_ADMIN', 'NET_BIND_SERVICE']]])('forbids adding %p even from the baseline default set', (add) => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add };
    expect(rulesOf(restricted(spec))).toEqual(['capabilities_restricted']);
  });
  it.each([[undefined], [[]], [['NET_RAW']], [['all']]])('requires drop to include ALL (drop=%p fails)', (drop) => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.capabilities = { drop };
    expect(rulesOf(restricted(spec))).toEqual(['capabilities_restricted']);
  });
  it('overrides capabilities_baseline: a non-default capability is reported once, as restricted', () => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
    expect(rulesOf(restricted(spec))).toEqual(['capabilities_restricted']);
  });
  it('before v1.22 the restricted level used the baseline capabilities check', () => {
    const spec = restrictedSpec();

    spec.containers[0].securityContext.capabilities = { add: ['SYS_ADMIN'] };
    expect(rulesOf(restricted(spec, {}, 'v1.21'))).toEqual(['capabilities_baseline']);
  });
});

describe('restricted: Windows pods', () => {
  it('skip allowPrivilegeEscalation, seccomp and capabilities from v1.25 but not runAsNonRoot', () => {
    const spec = { os: { name: 'windows' }, containers: [{ name: 'win', image: 'x:1' }] };

    expect(rulesOf(restricted(spec))).toEqual(['runAsNonRoot']);
    expect(rulesOf(restricted(spec, {}, 'v1.24'))).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  });
  it('linux pods with os.name=linux are checked fully', () => {
    const spec = { os: { name: 'linux' }, containers: [{ name: 'c', image: 'x:1' }] };

    expect(rulesOf(restricted(spec))).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  });
});

describe('forbiddenReasons', () => {
  it('lists the API server reasons: baseline checks by ID, then restricted checks by ID', () => {
    const spec = { hostPID: true, containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }] };

    expect(forbiddenReasons(checkPodSpec({}, spec, 'baseline'))).toEqual(['non-default capabilities', 'host namespaces', 'privileged']);
    expect(forbiddenReasons(checkPodSpec({}, spec, 'restricted'))).toEqual([
      'host namespaces', 'privileged', 'allowPrivilegeEscalation != false', 'unrestricted capabilities', 'runAsNonRoot != true', 'seccompProfile',
    ]);
  });
  it('pluralises the AppArmor reason by the number of distinct bad values', () => {
    const one = checkPodSpec({}, { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', image: 'x:1' }] }, 'baseline');
    const two = checkPodSpec({ annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
      { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', image: 'x:1' }] }, 'baseline');

    expect(forbiddenReasons(one)).toEqual(['forbidden AppArmor profile']);
    expect(forbiddenReasons(two)).toEqual(['forbidden AppArmor profiles']);
  });
});
