import TalkersPanel from '@pkg/components/flows/TalkersPanel.vue';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { TalkerRow } from '@pkg/domain/flows/view/view-talkers';
import { mountWithShell, flushPromises } from '../support/mount';
import {
  ariaSort, cellTexts, header, headerLabels, noRows, rowTexts
} from '../support/table';
import { clusterObjects, HOSTILE } from './flows-fixtures';
import { TYPES } from '@pkg/domain/stack/constants';

const objects = clusterObjects();
const index = buildEndpointIndex({
  vms: objects[TYPES.vm] as any[], vmis: objects[TYPES.vmi] as any[], pods: objects[TYPES.pod] as any[], networkAttachmentDefinitions: objects[TYPES.nad] as any[]
});

const row = (endpoint: string, namespace: string, bytesTx: number, bytesRx: number, newFlows: number): TalkerRow => ({
  endpoint, namespace, bytesTx, bytesRx, bytes: bytesTx + bytesRx, packets: 1, newFlows
});

const RESULTS = {
  addresses: [
    row('192.168.100.10', '', 20000, 80000, 3),
    row('10.52.0.10', '', 4000, 6000, 5),
    row('10.52.0.10', 'vms', 200, 300, 1),
    row('192.168.100.11', '', 1000, 2000, 30),
    row('8.8.8.8', '', 999999, 0, 999),
  ],
};

function mountPanel(props: Record<string, unknown>) {
  return mountWithShell(TalkersPanel, {
    props: {
      results: RESULTS, view: { by: 'vm', rankBy: 'bytes' }, index, cluster: 'c-m-1', ...props
    }
  });
}

const rows = (wrapper: ReturnType<typeof mountPanel>) => rowTexts(wrapper, 'talkers-table');

/** The shell ButtonGroup's button that holds the option labelled with `testid`. */
const button = (wrapper: { find: (s: string) => any }, testid: string) => wrapper.find(`button:has([data-testid="${ testid }"])`);

describe('TalkersPanel', () => {
  it('renders the ranked rows of the view from the results it is given', () => {
    const wrapper = mountPanel({});

    expect(rows(wrapper)).toHaveLength(2);
    expect(rows(wrapper)[0]).toContain('vms/web-1');
    expect(rows(wrapper)[1]).toContain('vms/db-1');
    expect(button(wrapper, 'talkers-group-vm').attributes('aria-pressed')).toBe('true');
    expect(button(wrapper, 'talkers-rank-bytes').attributes('aria-pressed')).toBe('true');
    wrapper.unmount();
  });

  it('ranks by what the view says, and keeps only the namespace shown', async() => {
    const wrapper = mountPanel({ view: { by: 'vm', rankBy: 'connections' } });

    expect(rows(wrapper)[0]).toContain('vms/db-1');
    await wrapper.setProps({ namespace: 'shop' });
    expect(rows(wrapper)).toHaveLength(0);
    expect(noRows(wrapper, 'talkers-table').text()).toBe('No traffic of this kind in the selected time range.');
    wrapper.unmount();
  });

  it('is the shell\'s SortableTable: opens in the ranking\'s order, sorts by a clicked header, biggest first', async() => {
    const wrapper = mountPanel({});

    expect(headerLabels(wrapper, 'talkers-table')).toEqual(['Name', 'Bytes', 'Sent', 'Received', 'Connections']);
    // web-1: 100,000 bytes, 20,000 sent, 3 connections; db-1: 10,500 bytes, 4,200 sent, 6 connections.
    expect(rows(wrapper)[0]).toMatch(/^vms\/web-1/);
    await header(wrapper, 'talkers-table', 'Connections').trigger('click');
    expect(rows(wrapper)[0]).toMatch(/^vms\/db-1/);
    await header(wrapper, 'talkers-table', 'Connections').trigger('click');
    expect(rows(wrapper)[0]).toMatch(/^vms\/web-1/);
    await header(wrapper, 'talkers-table', 'Name').trigger('click');
    expect(cellTexts(wrapper, 'talkers-table').map((cells) => cells[0])).toEqual(['vms/db-1', 'vms/web-1']);
    // A new ranking opens in its own order again.
    await wrapper.setProps({ view: { by: 'vm', rankBy: 'connections' } });
    await flushPromises();
    expect(rows(wrapper)[0]).toMatch(/^vms\/db-1/);
    // The current header (the shell calls the first direction of a `:desc` sort "ascending", as for its Age column).
    expect(ariaSort(wrapper, 'talkers-table', 'Connections')).toBe('ascending');
    expect(ariaSort(wrapper, 'talkers-table', 'Bytes')).toBe('None');
    wrapper.unmount();
  });

  it('renders pods and namespaces from tag rows, names as text', () => {
    const pods = mountPanel({
      view: { by: 'pod', rankBy: 'bytes' }, results: { tagged: [row('web-0', 'shop', 10, 10, 1), row(HOSTILE, 'shop', 5, 5, 1)] }
    });

    expect(rows(pods)[0]).toContain('shop/web-0');
    expect(rows(pods)[1]).toContain(`shop/${ HOSTILE }`);
    expect(pods.find('img').exists()).toBe(false);
    pods.unmount();
    const namespaces = mountPanel({
      view: { by: 'namespace', rankBy: 'bytes' }, results: { tagged: [row('shop', 'shop', 10, 10, 1), row('vms', 'vms', 200, 300, 1)], addresses: RESULTS.addresses }
    });

    // vms: its tag row (500) plus its VMs' untagged addresses; the tagged address row is not counted again.
    expect(rows(namespaces)).toHaveLength(2);
    expect(rows(namespaces)[0]).toMatch(/^vms/);
    expect(rows(namespaces)[1]).toMatch(/^shop/);
    namespaces.unmount();
  });

  it('asks for another view with the `view` event instead of switching itself', async() => {
    const wrapper = mountPanel({});

    await button(wrapper, 'talkers-group-pod').trigger('click');
    await button(wrapper, 'talkers-rank-connections').trigger('click');
    await button(wrapper, 'talkers-group-namespace').trigger('click');
    expect(wrapper.emitted('view')).toEqual([
      [{ by: 'pod', rankBy: 'bytes' }], [{ by: 'vm', rankBy: 'connections' }], [{ by: 'namespace', rankBy: 'bytes' }],
    ]);
    // Nothing changes until the page passes the new view and its results.
    expect(button(wrapper, 'talkers-group-vm').attributes('aria-pressed')).toBe('true');
    expect(rows(wrapper)[0]).toContain('vms/web-1');
    await wrapper.setProps({ view: { by: 'pod', rankBy: 'bytes' }, results: { tagged: [row('web-1', 'shop', 1, 1, 1)] } });
    expect(button(wrapper, 'talkers-group-pod').attributes('aria-pressed')).toBe('true');
    expect(rows(wrapper)).toEqual([expect.stringContaining('shop/web-1')]);
    wrapper.unmount();
  });

  it('disables the view buttons while the view loads', async() => {
    const wrapper = mountPanel({ loading: true });

    expect(button(wrapper, 'talkers-group-pod').attributes('disabled')).toBeDefined();
    expect(button(wrapper, 'talkers-rank-connections').attributes('disabled')).toBeDefined();
    await button(wrapper, 'talkers-group-pod').trigger('click');
    expect(wrapper.emitted('view')).toBeUndefined();
    wrapper.unmount();
  });
});
