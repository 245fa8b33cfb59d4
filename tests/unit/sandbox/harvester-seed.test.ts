/**
 * The seeded VMs carry what Harvester adds to a VM (harvester-ui-extension v1.7.3 and harvester/harvester v1.7.3,
 * see sandbox/backend/seed/harvester-vm.ts): the real UI reads these without guards.
 */
import * as yaml from 'js-yaml';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';
import { JsonObject } from '../../../sandbox/backend/http';

const { objects } = buildCluster();
const vms = objects['kubevirt.io.virtualmachine'];
const byId = (type: string) => new Map((objects[type] || []).map((o) => [o.metadata.namespace ? `${ o.metadata.namespace }/${ o.metadata.name }` : o.metadata.name, o]));

describe('seeded VMs', () => {
  it('all carry annotations, labels and template annotations like VMs made with Harvester\'s form', () => {
    expect(vms.length).toBeGreaterThan(10);
    vms.forEach((vm) => {
      expect(vm.metadata.annotations).toEqual(expect.objectContaining({
        'harvesterhci.io/volumeClaimTemplates': expect.any(String), 'harvesterhci.io/vmRunStrategy': 'RerunOnFailure', 'network.harvesterhci.io/ips': '[]'
      }));
      expect(vm.metadata.labels).toEqual(expect.objectContaining({ 'harvesterhci.io/creator': 'harvester', 'harvesterhci.io/os': 'linux' }));
      expect(JSON.parse(vm.spec.template.metadata.annotations['harvesterhci.io/sshNames'])).toEqual([`${ vm.metadata.namespace }/ops-key`]);
    });
  });

  it('name key pairs that exist', () => {
    const keyPairs = byId('harvesterhci.io.keypair');

    vms.forEach((vm) => JSON.parse(vm.spec.template.metadata.annotations['harvesterhci.io/sshNames']).forEach((id: string) => {
      expect(keyPairs.get(id)?.status.conditions).toEqual([expect.objectContaining({ type: 'validated', status: 'True' })]);
    }));
  });

  it('use claims that exist, are bound to a volume that points back, and match the claim templates', () => {
    const claims = byId('persistentvolumeclaim');
    const volumes = byId('persistentvolume');

    vms.forEach((vm) => {
      const templates = JSON.parse(vm.metadata.annotations['harvesterhci.io/volumeClaimTemplates']);
      const claimNames = vm.spec.template.spec.volumes.filter((v: JsonObject) => v.persistentVolumeClaim).map((v: JsonObject) => v.persistentVolumeClaim.claimName);

      expect(templates.map((t: JsonObject) => t.metadata.name)).toEqual(claimNames);
      claimNames.forEach((name: string) => {
        const claim = claims.get(`${ vm.metadata.namespace }/${ name }`);
        const volume = volumes.get(claim?.spec.volumeName);

        expect(claim?.status.phase).toBe('Bound');
        expect(volume?.spec.claimRef).toEqual(expect.objectContaining({ name, namespace: vm.metadata.namespace }));
        expect(volume?.spec.storageClassName).toBe(claim?.spec.storageClassName);
      });
    });
  });

  it('have cloud-init user data that installs the guest agent and authorizes the key pair', () => {
    const keyPairs = byId('harvesterhci.io.keypair');

    vms.forEach((vm) => {
      const volume = vm.spec.template.spec.volumes.find((v: JsonObject) => v.name === 'cloudinitdisk');
      const userData = volume.cloudInitNoCloud.userData;
      const parsed = yaml.load(userData) as JsonObject;

      expect(userData.startsWith('#cloud-config\n')).toBe(true);
      expect(parsed.packages).toEqual(['qemu-guest-agent']);
      expect(parsed.ssh_authorized_keys).toEqual([keyPairs.get(`${ vm.metadata.namespace }/ops-key`)?.spec.publicKey]);
      expect(vm.spec.template.spec.domain.devices.disks.map((d: JsonObject) => d.name)).toContain('cloudinitdisk');
    });
  });

  it('record the running VMI\'s interface MACs, and none for a stopped VM', () => {
    const vmis = byId('kubevirt.io.virtualmachineinstance');
    const macsOf = (vm: JsonObject) => vm.metadata.annotations['harvesterhci.io/mac-address'];
    const running = vms.filter((vm) => vm.spec.runStrategy !== 'Halted');
    const stopped = vms.filter((vm) => vm.spec.runStrategy === 'Halted');

    expect(stopped.map(macsOf)).toEqual(stopped.map(() => undefined));
    expect(running.map((vm) => JSON.parse(macsOf(vm)))).toEqual(running.map((vm) => {
      const vmi = vmis.get(`${ vm.metadata.namespace }/${ vm.metadata.name }`);

      return Object.fromEntries(vmi?.status.interfaces.map((i: JsonObject) => [i.name, i.mac]));
    }));
    expect(stopped.length).toBeGreaterThan(0);
  });

  it('keep the hostile annotations of the long-named VM as well', () => {
    const long = vms.find((vm) => vm.metadata.name.startsWith('long-name-vm-'));

    expect(Object.keys(long?.metadata.annotations)).toEqual(expect.arrayContaining(['field.cattle.io/description', 'e2e.test/quotes', 'harvesterhci.io/volumeClaimTemplates']));
  });
});

describe('seeded platform objects', () => {
  it('include Longhorn\'s v2-data-engine setting, which Harvester\'s VM pages look up by id', () => {
    expect(byId('longhorn.io.setting').get('longhorn-system/v2-data-engine')).toEqual(expect.objectContaining({ value: 'false' }));
  });
});
