/**
 * The chart installs the k8s suite exercises, with values built the way the install wizard builds the
 * Addon's valuesContent (only what differs from the chart defaults), and the pod templates they render.
 */
import { load } from 'js-yaml';
import { CHART_DEFAULTS, defaultSettings } from '@pkg/domain/install/defaults';
import { InstallSettings } from '@pkg/domain/install/settings';
import { buildValues, diffFromDefaults, grafanaAdminSecret, valuesYaml } from '@pkg/domain/install/values';
import { STACK } from '@pkg/domain/stack/constants';
import { KubeObject } from '../../sandbox/kube/client';
import { PodUnderTest } from './pss-corpus/observe';

export interface ChartVariant {
  id: string;
  /** Stack namespace = Helm release namespace (as in the Harvester Addon flow). */
  stackNamespace: string;
  agentNamespace: string;
  /** The wizard's values plus, for non-default variants, own namespaces so installs never collide. */
  values: Record<string, any>;
  /** A StorageClass the values refer to, which the cluster must have. */
  storageClass?: string;
  /** Objects the wizard creates before the chart is installed (in the stack namespace). */
  preinstall: KubeObject[];
}

/** The Secret the wizard stores a typed Grafana password in; Steve's `_type` becomes Kubernetes' `type`. */
export function wizardPasswordSecret(namespace: string, password: string): KubeObject {
  const { _type: type, ...secret } = grafanaAdminSecret(namespace, 'admin', password);

  return { ...secret, type } as KubeObject;
}

function wizardValues(adjust: (s: InstallSettings) => void): Record<string, any> {
  const settings = defaultSettings('https://charts.example.com/hnm', '0.1.0');

  adjust(settings);
  // Through YAML, exactly as the Addon carries them.
  const values = load(valuesYaml(diffFromDefaults(buildValues(settings), CHART_DEFAULTS)));

  return (values && typeof values === 'object' ? values : {}) as Record<string, any>;
}

/**
 * defaults: the wizard's untouched settings in the product's own namespaces;
 * nodeport: Grafana on a fixed NodePort with anonymous viewing and a typed admin password; ingress: Grafana behind an Ingress with
 * TLS, data on a custom StorageClass, three server replicas, medium sizing; scale-out: three servers and three
 * ClickHouse shards (DeepFlow's distributed layout); external-db: an existing ClickHouse cluster and MySQL given by
 * address and Secret, whose Secrets the installer creates first.
 */
export function chartVariants(suffix: string): ChartVariant[] {
  const own = (id: string) => ({ stack: `hnm-${ id }-${ suffix }`, agent: `hnm-${ id }-${ suffix }-agent` });
  const nodeport = own('nodeport');
  const ingress = own('ingress');
  const scaleOut = own('scale');
  const externalDb = own('extdb');
  const dbSecret = (namespace: string, name: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData: { password: `Db-${ suffix }-pass` }
  } as KubeObject);
  const password = `Typed-${ suffix }-Passw0rd`;

  return [
    {
      id:             'defaults',
      stackNamespace: STACK.stackNamespace,
      agentNamespace: STACK.agentNamespace,
      values:         wizardValues(() => undefined),
      preinstall:     [],
    },
    {
      id:             'nodeport',
      stackNamespace: nodeport.stack,
      agentNamespace: nodeport.agent,
      values:         {
        ...wizardValues((s) => {
          s.grafana.exposure = 'nodeport';
          s.grafana.nodePort = 30300;
          s.grafana.anonymous = true;
          s.grafana.generatePassword = false;
          s.grafana.password = password;
          s.grafana.passwordConfirm = password;
        }),
        namespaces: nodeport,
      },
      preinstall: [wizardPasswordSecret(nodeport.stack, password)],
    },
    {
      id:             'ingress',
      stackNamespace: ingress.stack,
      agentNamespace: ingress.agent,
      storageClass:   'fast-ssd',
      values:         {
        ...wizardValues((s) => {
          s.grafana.exposure = 'ingress';
          s.grafana.ingressClass = 'nginx';
          s.grafana.ingressHosts = 'grafana.example.com';
          s.grafana.ingressTlsSecret = 'grafana-tls';
          s.storageClass = 'fast-ssd';
          s.serverReplicas = 3;
          s.profile = 'medium';
        }),
        namespaces: ingress,
      },
      preinstall: [],
    },
    {
      id:             'scale-out',
      stackNamespace: scaleOut.stack,
      agentNamespace: scaleOut.agent,
      values:         {
        ...wizardValues((s) => {
          s.serverReplicas = 3;
          s.clickhouseReplicas = 3;
        }),
        namespaces: scaleOut,
      },
      preinstall: [],
    },
    {
      id:             'external-db',
      stackNamespace: externalDb.stack,
      agentNamespace: externalDb.agent,
      values:         {
        ...wizardValues((s) => {
          s.external.clickhouse = {
            enabled: true, hosts: '192.0.2.21:9000, 192.0.2.22:9000', username: 'deepflow', secret: 'ext-clickhouse', clusterName: 'default', storagePolicy: 'default'
          };
          s.external.mysql = {
            enabled: true, host: 'mysql.example.com', port: 3306, username: 'deepflow', secret: 'ext-mysql', egressCIDRs: '192.0.2.128/28'
          };
        }),
        namespaces: externalDb,
      },
      preinstall: [dbSecret(externalDb.stack, 'ext-clickhouse'), dbSecret(externalDb.stack, 'ext-mysql')],
    },
  ];
}

/** The pod template of a workload (also of a CronJob's jobs), or undefined for other kinds. */
function templateOf(obj: KubeObject): { metadata?: any; spec?: any } | undefined {
  const spec = obj.spec as any;

  switch (obj.kind) {
  case 'Pod': return { metadata: obj.metadata, spec };
  case 'CronJob': return spec?.jobTemplate?.spec?.template;
  case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
    return spec?.template;
  default: return undefined;
  }
}

export interface ChartPod extends PodUnderTest {
  /** `Kind/name` of the workload the template comes from. */
  workload: string;
  namespace: string;
}

/**
 * The pod spec as its controller creates it: a StatefulSet adds one persistentVolumeClaim volume per claim
 * template, named after the template, claim "<template>-<statefulset>-<ordinal>" (kubernetes
 * pkg/controller/statefulset/stateful_set_utils.go updateStorage / getPersistentVolumeClaimName).
 */
function podSpecOf(obj: KubeObject, spec: any): any {
  const claims = obj.kind === 'StatefulSet' ? ((obj.spec as any)?.volumeClaimTemplates || []) : [];

  if (!claims.length) {
    return spec;
  }
  const own = new Set((spec.volumes || []).map((v: any) => v.name));
  const added = claims.filter((c: any) => !own.has(c.metadata.name))
    .map((c: any) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: `${ c.metadata.name }-${ obj.metadata.name }-0` } }));

  return { ...spec, volumes: [...(spec.volumes || []), ...added] };
}

/** One pod per workload template, named after its workload, in the workload's namespace. */
export function chartPods(objects: KubeObject[], releaseNamespace: string): ChartPod[] {
  const pods: ChartPod[] = [];

  for (const obj of objects) {
    const template = templateOf(obj);

    if (template?.spec) {
      pods.push({
        workload:    `${ obj.kind }/${ obj.metadata.name }`,
        namespace:   obj.metadata.namespace ?? releaseNamespace,
        name:        `${ obj.kind }-${ obj.metadata.name }`.toLowerCase().slice(0, 63).replace(/-+$/, ''),
        labels:      template.metadata?.labels,
        annotations: template.metadata?.annotations,
        spec:        podSpecOf(obj, template.spec),
      });
    }
  }

  return pods;
}
