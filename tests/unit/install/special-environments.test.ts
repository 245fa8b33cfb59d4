/**
 * The Agents step's special-environment settings (DeepFlow's MACVlan/IPVlan capture, the watcher's node, agents
 * registering through a load balancer): validation, the chart values they produce and reading them back, and the
 * node addresses the live Security Review shares with the wizard.
 */
import { defaultSettings, installedSettings, CHART_DEFAULTS } from '@pkg/domain/install/defaults';
import { InstallSettings, interfaceList, validateSettings } from '@pkg/domain/install/settings';
import { buildValues, diffFromDefaults } from '@pkg/domain/install/values';
import { nodeAddresses, proposeNetworkCidrs } from '@pkg/domain/install/network';
import { stepOfField } from '@pkg/domain/install/wizard';
import { nodeAddressCidrs } from '@pkg/domain/security/live';

const base = () => defaultSettings('https://charts.example.com/', '0.1.0');
const fields = (s: InstallSettings) => validateSettings(s, 3).map((e) => `${ e.field }:${ e.code }`);

describe('defaults', () => {
  it('start from the chart: no secondary NICs, the server Service, the watcher on any node, and change no value', () => {
    const a = base().agents;

    expect(a.secondaryNics).toEqual({ type: '', parentInterfaces: '', podNamespaces: false, podInterfaceRegex: CHART_DEFAULTS.agent.secondaryNics.podNamespaces.interfaceRegex, ringBlocks: 16 });
    expect([a.serverAddress, a.serverPort, a.watcherNode]).toEqual(['', null, '']);
    expect(diffFromDefaults(buildValues(base()), CHART_DEFAULTS)).not.toHaveProperty('agent');
  });
});

describe('validation', () => {
  it('accepts MACVlan parents, namespace capture, an IPv4 or IPv6 load balancer and a node', () => {
    const s = base();

    s.agents.secondaryNics = { type: 'macvlan', parentInterfaces: 'eth1, bond0.100 ens5', podNamespaces: true, podInterfaceRegex: '^net[0-9]+$', ringBlocks: 8 };
    s.agents.serverAddress = ' 192.168.10.50 ';
    s.agents.serverPort = 30035;
    s.agents.watcherNode = 'harvester-node-2';
    expect(fields(s)).toEqual([]);
    s.agents.serverAddress = '[fd00::50]';
    expect(fields(s)).toEqual([]);
  });

  it('names each wrong field with a code the Agents step shows', () => {
    const s = base();

    s.agents.secondaryNics = {
      type: 'sriov' as any, parentInterfaces: 'eth1, eth 2;x, an-interface-too-long', podNamespaces: true, podInterfaceRegex: 'net[0-9]+', ringBlocks: 4
    };
    s.agents.serverAddress = 'lb.example.com';
    s.agents.serverPort = 70000;
    s.agents.watcherNode = 'Node_1';
    expect(fields(s)).toEqual([
      'agents.secondaryNics.type:nic-type',
      'agents.secondaryNics.parentInterfaces:interface-name',
      'agents.secondaryNics.parentInterfaces:interface-name',
      'agents.secondaryNics.podInterfaceRegex:regex-anchored',
      'agents.secondaryNics.ringBlocks:ring-blocks',
      'agents.serverAddress:ip',
      'agents.serverPort:port',
      'agents.watcherNode:node-name',
    ]);
    expect(validateSettings(s, 3).find((e) => e.field === 'agents.serverAddress')?.params).toEqual({ address: 'lb.example.com' });
    expect(fields(s).map((f) => stepOfField(f.split(':')[0]))).toEqual(Array(8).fill('agents'));
  });

  it('checks the pod regex only when namespace capture is on, and reports a broken one', () => {
    const s = base();

    s.agents.secondaryNics.podInterfaceRegex = '(';
    s.agents.secondaryNics.ringBlocks = NaN;
    expect(fields(s)).toEqual([]);
    s.agents.secondaryNics.podNamespaces = true;
    expect(fields(s)).toEqual(['agents.secondaryNics.podInterfaceRegex:regex', 'agents.secondaryNics.ringBlocks:ring-blocks']);
  });

  it('limits the parent list and the watcher node to what the chart accepts', () => {
    const s = base();

    s.agents.secondaryNics.parentInterfaces = Array.from({ length: 33 }, (_, i) => `eth${ i }`).join(',');
    s.agents.watcherNode = 'n'.repeat(64);
    expect(fields(s)).toEqual(['agents.secondaryNics.parentInterfaces:too-many', 'agents.watcherNode:node-name']);
    expect(interfaceList('eth1, eth1 eth2')).toEqual(['eth1', 'eth2']);
  });
});

describe('chart values', () => {
  it('writes agent.secondaryNics, agent.server (canonical address) and agent.watcher.nodeName, and reads them back', () => {
    const s = base();

    s.agents.secondaryNics = { type: 'ipvlan', parentInterfaces: 'ens5, bond0.100', podNamespaces: true, podInterfaceRegex: '^net[0-9]+$', ringBlocks: 32 };
    s.agents.serverAddress = '[FD00:0::50]';
    s.agents.serverPort = 30035;
    s.agents.watcherNode = 'harvester-node-2';
    const diff = diffFromDefaults(buildValues(s), CHART_DEFAULTS);

    expect(diff.agent).toEqual({
      secondaryNics: { type: 'ipvlan', parentInterfaces: ['ens5', 'bond0.100'], podNamespaces: { enabled: true, interfaceRegex: '^net[0-9]+$', ringBlocks: 32 } },
      server:        { address: 'fd00::50', port: 30035 },
      watcher:       { nodeName: 'harvester-node-2' },
    });
    const back = installedSettings(diff, 'https://charts.example.com/', '0.1.0').agents;

    expect(back.secondaryNics).toEqual({ type: 'ipvlan', parentInterfaces: 'ens5, bond0.100', podNamespaces: true, podInterfaceRegex: '^net[0-9]+$', ringBlocks: 32 });
    expect([back.serverAddress, back.serverPort, back.watcherNode]).toEqual(['fd00::50', 30035, 'harvester-node-2']);
  });

  it('reads unknown or broken installed values as the defaults', () => {
    const back = installedSettings({ agent: { secondaryNics: { type: 'sriov', parentInterfaces: 'eth1' }, server: { port: '1' } } }, 'https://x/', '0.1.0').agents;

    expect([back.secondaryNics.type, back.secondaryNics.parentInterfaces, back.serverPort]).toEqual(['', '', null]);
  });
});

describe('node addresses shared by the wizard and the live Security Review', () => {
  const node = (name: string, ip: string, podCIDR?: string) => ({
    kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR } : {}, status: { addresses: [{ type: 'InternalIP', address: ip }] }
  });
  const nodes = [node('n1', '10.0.0.11', '10.52.0.0/24'), node('n2', '10.0.0.12', '10.52.1.0/24'), node('n3', 'fd00::3')];

  it('are the InternalIPs plus each node\'s flannel.1 address, in both places', () => {
    const expected = ['10.0.0.11/32', '10.0.0.12/32', '10.52.0.0/32', '10.52.1.0/32', 'fd00::3/128'];

    expect(nodeAddresses(nodes)).toEqual(expected);
    expect(proposeNetworkCidrs(nodes).nodeCIDRs).toEqual(expected);
    expect(nodeAddressCidrs([...nodes, { kind: 'Pod', metadata: { name: 'p' }, status: { addresses: [{ type: 'InternalIP', address: '1.1.1.1' }] } }])).toEqual(expected);
  });
});
