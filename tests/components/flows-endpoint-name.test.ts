import EndpointName from '@pkg/components/flows/EndpointName.vue';
import { mountWithShell } from '../support/mount';
import { HOSTILE } from './flows-fixtures';

// A pod name at the 253-character limit of a DNS subdomain.
const LONG_POD = `very-long-${ 'name-'.repeat(48) }end`;

function mountName(endpoint: Record<string, unknown>, location: object | null = null) {
  return mountWithShell(EndpointName, { props: { endpoint, location } });
}

describe('EndpointName', () => {
  it('shortens a long name on screen and keeps the whole name, with the address, for the hover text', () => {
    const wrapper = mountName({
      kind: 'pod', name: LONG_POD, namespace: 'shop', ip: '10.52.1.39'
    }, { name: 'pod' });
    const full = `shop/${ LONG_POD }`;

    expect(LONG_POD).toHaveLength(253);
    expect(wrapper.find('[data-testid="flow-endpoint-link"]').text()).toBe(`${ full.slice(0, 119) }\u2026`);
    expect(wrapper.attributes('title')).toBe(`${ full } (10.52.1.39)`);
    wrapper.unmount();
  });

  it('shows names as text and strips bidirectional overrides, in the hover text too', () => {
    const wrapper = mountName({
      kind: 'pod', name: `\u202e${ HOSTILE }`, namespace: 'shop', ip: '10.52.1.40'
    });

    expect(wrapper.find('[data-testid="flow-endpoint-name"]').text()).toBe(`shop/${ HOSTILE }`);
    expect(wrapper.attributes('title')).toBe(`shop/${ HOSTILE } (10.52.1.40)`);
    expect(wrapper.find('img').exists()).toBe(false);
    wrapper.unmount();
  });

  it('names an external endpoint by its address alone', () => {
    const wrapper = mountName({
      kind: 'external', name: '203.0.113.5', namespace: '', ip: '203.0.113.5'
    });

    expect(wrapper.find('[data-testid="flow-endpoint-name"]').text()).toBe('203.0.113.5');
    expect(wrapper.attributes('title')).toBe('203.0.113.5');
    wrapper.unmount();
  });
});
