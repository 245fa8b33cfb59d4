/**
 * What Harvester itself adds to a VM and around it, beyond what KubeVirt's API holds: the annotations
 * Harvester's UI writes on create and its controllers keep up to date, the SSH key pair the VM names,
 * and the root disk's claim with the Longhorn volume bound to it. Harvester's UI reads these
 * annotations without guards (harvester-ui-extension v1.7.3 utils/cpuMemory.js reads
 * `metadata.annotations[...]`), and the API server drops an empty annotations map, so every seeded
 * VM carries them as a real one does.
 */
import { JsonObject } from '../http';
import { hashString } from './random';

const CREATED = '2026-04-01T08:00:00Z';
/** The disk size and class Harvester's create form proposes (the cluster's default StorageClass). */
const DISK = { size: '10Gi', storageClass: 'harvester-longhorn' } as const;

/** The key pair every seeded VM of a namespace is created with. */
export const KEY_PAIR = 'ops-key';

export interface VmDisk { namespace: string; claim: string }

export interface VmInterfaceMac { name: string; mac: string }

/** A Longhorn volume's name: the claim's uid with the `pvc-` prefix, as the CSI provisioner names it. */
function volumeName(disk: VmDisk): string {
  const hex = hashString(`${ disk.namespace }/${ disk.claim }`).toString(16).padStart(8, '0');

  return `pvc-${ hex }-5e1d-4c2a-9f00-${ hex }${ hex.slice(0, 4) }`;
}

/**
 * The VM's own annotations:
 * - `harvesterhci.io/volumeClaimTemplates` and `network.harvesterhci.io/ips`: written by the create form
 *   (harvester-ui-extension v1.7.3 mixins/harvester-vm/index.js, HCI_ANNOTATIONS in config/labels-annotations.js);
 * - `harvesterhci.io/vmRunStrategy`: the last run strategy other than Halted, kept by Harvester's VM controller
 *   (harvester/harvester v1.7.3 pkg/controller/master/virtualmachine/vm_controller.go StoreRunStrategy);
 * - `harvesterhci.io/mac-address`: the running VMI's interface MACs by name, JSON (vmi_network_controller.go).
 */
export function vmAnnotations(disk: VmDisk, macs: VmInterfaceMac[]): Record<string, string> {
  const template = {
    metadata: { name: disk.claim, annotations: {} },
    spec:     {
      accessModes: ['ReadWriteMany'], resources: { requests: { storage: DISK.size } }, volumeMode: 'Block', storageClassName: DISK.storageClass
    },
  };

  return {
    'harvesterhci.io/volumeClaimTemplates': JSON.stringify([template]),
    'network.harvesterhci.io/ips':          '[]',
    'harvesterhci.io/vmRunStrategy':        'RerunOnFailure',
    ...(macs.length ? { 'harvesterhci.io/mac-address': JSON.stringify(Object.fromEntries(macs.map((m) => [m.name, m.mac]))) } : {}),
  };
}

/** The VM template's annotations: the key pairs the form chose, as `["<namespace>/<name>"]` (same mixin). */
export function vmTemplateAnnotations(namespace: string): Record<string, string> {
  return { 'harvesterhci.io/sshNames': JSON.stringify([`${ namespace }/${ KEY_PAIR }`]) };
}

/**
 * The cloud-init disk of a VM made with the create form for a Linux guest: the user data installs and starts the
 * QEMU guest agent (QGA_JSON in harvester-ui-extension v1.7.3 mixins/harvester-vm/impl.js) and authorizes the key
 * pair. Harvester's VM pages parse this user data; a VM without it logs "Unable to parse yaml document".
 * Here in clear text in the volume, which the form supports besides a Secret.
 */
export function vmCloudInit(publicKey: string): { disk: JsonObject; volume: JsonObject } {
  const userData = [
    '#cloud-config',
    'package_update: true',
    'packages:',
    '  - qemu-guest-agent',
    'runcmd:',
    '  - - systemctl',
    '    - enable',
    '    - --now',
    '    - qemu-guest-agent.service',
    'ssh_authorized_keys:',
    `  - ${ publicKey }`,
    '',
  ].join('\n');

  return { disk: { name: 'cloudinitdisk', disk: { bus: 'virtio' } }, volume: { name: 'cloudinitdisk', cloudInitNoCloud: { userData } } };
}

/** The labels the create form puts on a VM (`harvesterhci.io/creator`, `harvesterhci.io/os`). */
export const VM_LABELS = { 'harvesterhci.io/creator': 'harvester', 'harvesterhci.io/os': 'linux' } as const;

const keyHash = (namespace: string) => hashString(`${ namespace }/${ KEY_PAIR }`).toString(16).padStart(8, '0');

/** The namespace's key pair's public key (made up: only its shape matters). */
export function publicKey(namespace: string): string {
  const hash = keyHash(namespace);

  return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${ hash }${ hash }${ hash }${ hash } ops@sandbox.example`;
}

/** A validated key pair (harvester/harvester v1.7.3 pkg/apis/harvesterhci.io/v1beta1/keypair.go). */
export function keyPair(namespace: string): JsonObject {
  const hash = keyHash(namespace);

  return {
    apiVersion: 'harvesterhci.io/v1beta1',
    kind:       'KeyPair',
    metadata:   {
      name: KEY_PAIR, namespace, creationTimestamp: CREATED, labels: {}, annotations: {}
    },
    spec:   { publicKey: publicKey(namespace) },
    status: {
      fingerPrint: Array.from({ length: 16 }, (_, i) => hash[(i * 3) % hash.length] + hash[(i * 5 + 1) % hash.length]).join(':'),
      conditions:  [{ type: 'validated', status: 'True', lastUpdateTime: CREATED }],
    },
  };
}

/** The root disk's claim, bound to a Longhorn volume, and that volume (what Longhorn's CSI provisioner creates). */
export function vmDiskObjects(disk: VmDisk): { claim: JsonObject; volume: JsonObject } {
  const volume = volumeName(disk);

  return {
    claim: {
      apiVersion: 'v1',
      kind:       'PersistentVolumeClaim',
      metadata:   {
        name:              disk.claim,
        namespace:         disk.namespace,
        creationTimestamp: CREATED,
        labels:            {},
        // Kubernetes' PV controller marks a claim it bound and the provisioner that served it.
        annotations:       { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'driver.longhorn.io' },
      },
      spec: {
        accessModes: ['ReadWriteMany'], resources: { requests: { storage: DISK.size } }, storageClassName: DISK.storageClass, volumeMode: 'Block', volumeName: volume
      },
      status: { phase: 'Bound', accessModes: ['ReadWriteMany'], capacity: { storage: DISK.size } },
    },
    volume: {
      apiVersion: 'v1',
      kind:       'PersistentVolume',
      metadata:   {
        name: volume, creationTimestamp: CREATED, labels: {}, annotations: { 'pv.kubernetes.io/provisioned-by': 'driver.longhorn.io' }
      },
      spec: {
        accessModes: ['ReadWriteMany'],
        capacity:    { storage: DISK.size },
        claimRef:    {
          apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: disk.claim, namespace: disk.namespace
        },
        csi: {
          driver: 'driver.longhorn.io', volumeHandle: volume, fsType: 'ext4', volumeAttributes: { numberOfReplicas: '3' }
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName:              DISK.storageClass,
        volumeMode:                    'Block',
      },
      status: { phase: 'Bound' },
    },
  };
}
