import VmNetworkTab from '@pkg/tabs/VmNetworkTab.vue';
import PodNetworkTab from '@pkg/tabs/PodNetworkTab.vue';
import SubjectNetwork from '@pkg/components/flows/SubjectNetwork.vue';
import { buildEndpointIndex } from '@pkg/domain/flows';
import { vmSubject } from '@pkg/domain/flows/view/view-peers';
import { TYPES } from '@pkg/domain/stack/constants';
import {
  mountWithShell, flushPromises, fetched, until
} from '../support/mount';
import { header, headerLabels, tableRows } from '../support/table';
import {
  flowStore, podsGate, fakeQuerier, stubs, edgesBody, emptyBody, clusterObjects, expectWindow, HOSTILE
} from './flows-fixtures';
import { pod } from '../fixtures/querier/cluster';

const vmRoute = (id = 'web-1') => ({
  params: {
    product: 'harvester', cluster: 'c-m-1', resource: TYPES.vm, namespace: 'vms', id
  },
  query: {},
});

const podRoute = (namespace: string, id: string) => ({
  params: {
    product: 'harvester', cluster: 'c-m-1', resource: 'pod', namespace, id
  },
  query: {},
});

/** The page's fetch(), then the querier calls it started. */
async function settle() {
  await fetched();
  for (let i = 0; i < 4; i++) {
    await flushPromises();
  }
}

const VM_EDGES = [
  // web-1 -> pod shop/web-0 (pod network)
  {
    ip_0: '10.52.0.10', ip_1: '10.52.1.20', server_port: 8080, sum_byte_tx: 4000, sum_byte_rx: 6000, sum_packet_tx: 40, sum_packet_rx: 60, avg_rtt: 300, sum_new_flow: 5
  },
  // web-1 -> db-1 over the VLAN, with retransmissions and failures
  {
    ip_0: '192.168.100.10', ip_1: '192.168.100.11', server_port: 5432, sum_byte_tx: 20000, sum_byte_rx: 80000, sum_packet_tx: 100, sum_packet_rx: 100, avg_rtt: 1500, sum_retrans: 4, sum_tcp_establish_fail: 2, sum_new_flow: 3
  },
  // a hostile peer name, from DeepFlow tags
  {
    ip_0: '10.52.7.7', ip_1: '10.52.0.10', pod_0: HOSTILE, pod_ns_0: 'shop', sum_byte_tx: 10, sum_byte_rx: 20
  },
];

function mountVmTab(options: { store?: ReturnType<typeof flowStore>; id?: string } = {}) {
  return mountWithShell(VmNetworkTab, { store: options.store ?? flowStore(), route: vmRoute(options.id), global: { stubs } });
}

describe('VM Network tab', () => {
  it('keeps loading the VM from the route and showing the stack state', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const store = flowStore();
    const wrapper = mountVmTab({ store });

    await settle();
    expect(store.dispatched).toContainEqual({ action: 'harvester/find', payload: { type: TYPES.vm, id: 'vms/web-1' } });
    expect(wrapper.text()).toContain('Network monitoring for web-1');
    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Healthy');
    wrapper.unmount();
  });

  it('shows the VM\'s peers with traffic, RTT, retransmissions and failures in at most 3 querier calls', async() => {
    const calls = fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const wrapper = mountVmTab();

    await settle();
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'series']);
    // Found by its NIC addresses and its launcher pod.
    calls.forEach((c) => {
      expect(c.sql).toContain('\'10.52.0.10\'');
      expect(c.sql).toContain('\'192.168.100.10\'');
      expect(c.sql).toContain('\'virt-launcher-web-1-abcde\'');
    });
    const rows = tableRows(wrapper, 'peers-table');

    expect(rows).toHaveLength(3);
    const db = rows[0].text();

    expect(db).toContain('vms/db-1');
    expect(db).toContain('Outbound');
    expect(db).toContain('20 KiB');
    expect(db).toContain('78 KiB');
    expect(db).toContain('1.5 ms');
    expect(db).toContain('4 (2.00%)');
    expect(db).toContain('TCP/5432');
    expect(wrapper.find('[data-testid="subject-totals"]').text()).toContain('over 9 connections with 3 peers');
    const links = rows.map((r) => r.find('[data-testid="flow-endpoint-link"]')).filter((l) => l.exists()).map((l) => JSON.parse(l.attributes('data-to') as string));

    expect(links).toContainEqual({
      name:   'harvester-c-cluster-resource-namespace-id',
      params: {
        product: 'harvester', cluster: 'c-m-1', resource: TYPES.vm, namespace: 'vms', id: 'db-1'
      }
    });
    expect(links).toContainEqual({
      name:   'harvester-c-cluster-resource-namespace-id',
      params: {
        product: 'harvester', cluster: 'c-m-1', resource: 'pod', namespace: 'shop', id: 'web-0'
      }
    });
    expect(wrapper.find('[data-testid="flow-sparkline"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="sparkline-sent"]').attributes('points')).toMatch(/^[\d.,\s]+$/);
    wrapper.unmount();
  });

  it('starts its queries from the VM\'s own instance and launcher pod, and names the peers once the cluster-wide lists are there', async() => {
    const calls = fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const { gate, podsListed } = podsGate();
    const wrapper = mountVmTab({ store: flowStore({ podsAfter: gate }) });

    await settle();
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'series']);
    calls.forEach((c) => expect(c.sql).toContain('\'virt-launcher-web-1-abcde\''));
    expect(wrapper.find('[data-testid="flow-sparkline"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="peers-table"]').exists()).toBe(false);
    podsListed();
    await settle();
    expect(tableRows(wrapper, 'peers-table')[0].text()).toContain('vms/db-1');
    // The same subject: no second pair of queries.
    expect(calls).toHaveLength(2);
    wrapper.unmount();
  });

  it('reads the cluster-wide lists once the stack and the VM\'s own objects are there, not beside them', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const { gate, podsListed: stackListed } = podsGate();
    const store = flowStore({ stackAfter: gate });
    const wrapper = mountVmTab({ store });
    const clusterWide = () => store.dispatched.filter((d) => d.action === 'harvester/findAll' && d.payload.type === TYPES.pod && !d.payload.opt?.labelSelector);

    for (let i = 0; i < 6; i++) {
      await flushPromises();
    }
    expect(clusterWide()).toHaveLength(0);
    stackListed();
    await settle();
    expect(clusterWide()).toHaveLength(1);
    expect(tableRows(wrapper, 'peers-table')[0].text()).toContain('vms/db-1');
    wrapper.unmount();
  });

  it('links to the VM dashboard on the Grafana page and directly through the proxy', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const wrapper = mountVmTab();

    await settle();
    const page = JSON.parse(wrapper.find('[data-testid="subject-grafana-page"]').attributes('data-to') as string);

    expect(page).toEqual({
      name:   'harvester-c-cluster-network-monitoring-grafana',
      params: { product: 'harvester', cluster: 'c-m-1' },
      query:  {
        dashboard: 'harvester-vm-network', range: '1h', 'var-namespace': 'vms', 'var-vm': 'web-1'
      },
    });
    const direct = wrapper.find('[data-testid="subject-grafana-direct"]').attributes('href') as string;

    expect(direct).toMatch(/^\/k8s\/clusters\/c-m-1\/api\/v1\/namespaces\/harvester-network-monitoring\/services\/http:hnm-grafana:80\/proxy\/d\/harvester-vm-network\//);
    expect(direct).toContain('var-vm=web-1');
    expect(direct).toContain('from=now-1h');
    wrapper.unmount();
  });

  it('renders hostile peer names as text', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const wrapper = mountVmTab();

    await settle();
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.find('[data-testid="peers-table-list-container"]').text()).toContain('shop/<img src=x onerror="window.__hacked=1">\'"');
    wrapper.unmount();
  });

  it('queries nothing for a VM that is not running', async() => {
    const calls = fakeQuerier();
    const wrapper = mountVmTab({ id: 'stopped' });

    await settle();
    expect(calls).toHaveLength(0);
    expect(wrapper.find('[data-testid="tab-no-addresses"]').text()).toContain('stopped has no network addresses');
    wrapper.unmount();
  });

  it('links to the install page when the stack is not installed', async() => {
    const calls = fakeQuerier();
    const wrapper = mountVmTab({ store: flowStore({ installed: false }) });

    await settle();
    expect(calls).toHaveLength(0);
    expect(wrapper.find('[data-testid="stack-status"]').exists()).toBe(true);
    expect(JSON.parse(wrapper.find('[data-testid="tab-install"]').attributes('data-to') as string).name).toBe('harvester-c-cluster-network-monitoring-install');
  });

  it('names the missing permission once when the proxy is forbidden', async() => {
    const forbidden = { status: 403, body: '{"kind":"Status","code":403}' };

    fakeQuerier({ edges: forbidden, series: forbidden });
    const wrapper = mountVmTab();

    await settle();
    const messages = wrapper.findAll('[data-testid="flow-message"]');

    expect(messages).toHaveLength(1);
    expect(messages[0].text()).toContain('permission to create services/proxy in namespace harvester-network-monitoring');
    wrapper.unmount();
  });

  it('says how to check the agents when there is no data yet', async() => {
    fakeQuerier({ edges: { status: 200, body: emptyBody('edges') }, series: { status: 200, body: emptyBody('series') } });
    const wrapper = mountVmTab();

    await settle();
    expect(wrapper.find('[data-testid="flow-no-data"]').text()).toContain('deepflow-ctl agent list');
    wrapper.unmount();
  });

  it('shows the peers when only the series fails, with the series\' error', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) }, series: { status: 500, body: '{"OPT_STATUS":"FAIL","DESCRIPTION":"boom"}' } });
    const wrapper = mountVmTab();

    await settle();
    expect(tableRows(wrapper, 'peers-table')).toHaveLength(3);
    expect(wrapper.find('[data-testid="flow-message-error"]').text()).toContain('rejected the query: boom');
    expect(wrapper.find('[data-testid="flow-sparkline"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('lists the peers in the shell\'s SortableTable: biggest first, sortable, searchable, paged by the user\'s preference', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const store = flowStore();
    const preference = store.getters['prefs/get'] as (key: string) => unknown;

    // The user's "rows per page" preference (the shell's `per-page`).
    store.getters['prefs/get'] = (key: string) => (key === 'per-page' ? 2 : preference(key));
    const wrapper = mountVmTab({ store });
    const peers = () => tableRows(wrapper, 'peers-table').map((r) => r.find('[data-testid="flow-endpoint-link"], [data-testid="flow-endpoint-name"]').text());

    await settle();
    expect(headerLabels(wrapper, 'peers-table')).toEqual(['Peer', 'Opened by', 'Sent', 'Received', 'Packets', 'RTT', 'Retransmissions', 'Failed connections', 'Ports']);
    // db-1 (100 KB both ways), then shop/web-0 (10 KB); the hostile pod (30 B) is on page 2.
    expect(peers()).toEqual(['vms/db-1', 'shop/web-0']);
    expect(wrapper.find('[data-testid="peers-table-list-container"] .paging').text()).toContain('1 - 2 of 3');
    await wrapper.find('[data-testid="pagination-next"]').trigger('click');
    expect(peers()).toEqual([expect.stringContaining('<img src=x')]);
    // Sorting starts over at page 1: RTT, highest first, then peers without samples.
    await header(wrapper, 'peers-table', 'RTT').trigger('click');
    expect(peers()).toEqual(['vms/db-1', 'shop/web-0']);
    await header(wrapper, 'peers-table', 'RTT').trigger('click');
    expect(peers()[0]).toContain('<img src=x');
    // The search box filters on names, directions and ports (after the shell's debounce).
    await wrapper.find('[data-testid="peers-table-list-container"] input[type="search"]').setValue('5432');
    await until(() => peers().length === 1, 'the search to keep the peer on port 5432');
    expect(peers()).toEqual(['vms/db-1']);
    wrapper.unmount();
  });

  it('aborts its queries when the tab is closed', async() => {
    const calls = fakeQuerier({ edges: 'pending', series: 'pending' });
    const wrapper = mountVmTab();

    await settle();
    expect(calls).toHaveLength(2);
    wrapper.unmount();
    expect(calls.every((c) => c.signal.aborted)).toBe(true);
  });

  it('reloads with a new time range (two more calls)', async() => {
    const calls = fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const wrapper = mountVmTab();

    await settle();
    await wrapper.find('[data-testid="subject-range"]').setValue('7d');
    await settle();
    expect(calls).toHaveLength(4);
    // A week is read from the hourly rows.
    calls.slice(2).forEach((c) => expectWindow(c, 7 * 86400, '1h'));
    wrapper.unmount();
  });
});

describe('a VM\'s or pod\'s network summary', () => {
  it('queries again for another subject, not for an equal one (the tab makes a new one whenever its route changes)', async() => {
    const calls = fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const o = clusterObjects();
    const index = buildEndpointIndex({
      vms: o[TYPES.vm], vmis: o[TYPES.vmi], pods: o[TYPES.pod], nodes: o[TYPES.node], services: o[TYPES.service], networkAttachmentDefinitions: o[TYPES.nad]
    });
    const subject = (name: string) => {
      const result = vmSubject(index, 'vms', name);

      if (!result.ok) {
        throw new Error(`the fixture VM ${ name } has no addresses`);
      }

      return result.subject;
    };
    const wrapper = mountWithShell(SubjectNetwork, {
      store: flowStore(), route: vmRoute(), props: { subject: subject('web-1'), index, cluster: 'c-m-1', grafanaTarget: { kind: 'vm', namespace: 'vms', name: 'web-1' } }, global: { stubs }
    });
    const flush = async() => {
      for (let i = 0; i < 4; i++) {
        await flushPromises();
      }
    };

    await flush();
    expect(calls).toHaveLength(2);
    await wrapper.setProps({ subject: subject('web-1') });
    await flush();
    expect(calls).toHaveLength(2);
    await wrapper.setProps({ subject: subject('db-1') });
    await flush();
    expect(calls).toHaveLength(4);
    wrapper.unmount();
  });
});

describe('Pod Network tab', () => {
  function podStore(found: unknown) {
    return flowStore({ find: (type, id) => (type === TYPES.pod ? found : { metadata: { name: id } }) });
  }

  it('shows the pod\'s peers, found by its DeepFlow tags and address', async() => {
    const calls = fakeQuerier({
      edges: {
        status: 200,
        body:   edgesBody([
          {
            ip_0: '10.52.0.10', ip_1: '10.52.1.20', pod_1: 'web-0', pod_ns_1: 'shop', server_port: 8080, sum_byte_tx: 4000, sum_byte_rx: 6000, sum_new_flow: 5
          },
        ]),
      },
    });
    const target = clusterObjects()[TYPES.pod][1];
    const store = podStore(target);
    const wrapper = mountWithShell(PodNetworkTab, { store, route: podRoute('shop', 'web-0'), global: { stubs } });

    await settle();
    expect(store.dispatched).toContainEqual({ action: 'harvester/find', payload: { type: TYPES.pod, id: 'shop/web-0' } });
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'series']);
    expect(calls[0].sql).toContain('\'web-0\'');
    expect(calls[0].sql).toContain('\'10.52.1.20\'');
    const rows = tableRows(wrapper, 'peers-table');

    expect(rows).toHaveLength(1);
    expect(rows[0].text()).toContain('vms/web-1');
    expect(rows[0].text()).toContain('Inbound');
    expect(JSON.parse(wrapper.find('[data-testid="subject-grafana-page"]').attributes('data-to') as string).query).toMatchObject({
      dashboard: 'network-k8s-pod', 'var-namespace': 'shop'
    });
    wrapper.unmount();
  });

  it('explains that a virt-launcher pod\'s traffic is its VM\'s', async() => {
    fakeQuerier({ edges: { status: 200, body: emptyBody('edges') } });
    const launcher = pod('vms', 'virt-launcher-web-1-abcde', '10.52.0.10', { launcherFor: 'web-1' });
    const wrapper = mountWithShell(PodNetworkTab, { store: podStore(launcher), route: podRoute('vms', 'virt-launcher-web-1-abcde'), global: { stubs } });

    await settle();
    expect(wrapper.find('[data-testid="subject-launcher"]').text()).toContain('runs the virtual machine web-1');
    wrapper.unmount();
  });

  it('says when the pod cannot be loaded, without querying', async() => {
    const calls = fakeQuerier();
    const wrapper = mountWithShell(PodNetworkTab, { store: podStore(null), route: podRoute('shop', 'gone'), global: { stubs } });

    await settle();
    expect(wrapper.find('[data-testid="pod-error"]').text()).toContain('shop/gone could not be loaded');
    expect(calls).toHaveLength(0);
  });
});
