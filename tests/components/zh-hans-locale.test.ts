/**
 * A user who picks 简体中文 in the shell's language menu sees our pages in Chinese: the shell's own i18n store
 * (store/i18n.js: its `t`, with the fallback to en-us) over the translations as the shell holds them after
 * switching, its zh-hans.yaml merged with ours as it merges an extension's l10n/zh-hans.yaml.
 */
import fs from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import { escapeHtml } from '@shell/utils/string';
import { state as i18nState, getters as i18nGetters, mutations as i18nMutations } from '@shell/store/i18n';
import Grafana from '@pkg/pages/Grafana.vue';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, fetched } from '../support/mount';
import { nodes } from '../fixtures/stack/objects';

const read = (file: string) => load(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const OURS = path.join(__dirname, '../../pkg/harvester-network-monitoring/l10n');
const SHELL = path.dirname(require.resolve('@rancher/shell/assets/translations/en-us.yaml'));

// The state after switching to zh-hans, built once (the shell's files are large) with the shell's own
// mutations: its zh-hans.yaml loaded, and each locale of ours merged in as the shell merges an extension's.
const STATE = i18nState();

i18nMutations.mergeLoadTranslations(STATE, { locale: 'en-us', translations: read(path.join(OURS, 'en-us.yaml')) });
i18nMutations.loadTranslations(STATE, { locale: 'zh-hans', translations: read(path.join(SHELL, 'zh-hans.yaml')) });
i18nMutations.mergeLoadTranslations(STATE, { locale: 'zh-hans', translations: read(path.join(OURS, 'zh-hans.yaml')) });

function shellT(locale: string) {
  const state = { ...STATE, selected: locale };

  return i18nGetters.t(state) as (key: string, args?: Record<string, unknown>) => string;
}

function mountGrafana(locale: string) {
  const t = shellT(locale);
  const store = fakeStore({ getters: { 'i18n/t': t, 'harvester/all': (type: string) => (type === TYPES.node ? nodes(3) : []), 'prefs/theme': 'dark' } });

  (window as any).fetch = jest.fn();

  return mountWithShell(Grafana, {
    store,
    route:  { params: { product: 'harvester', cluster: 'c-m-1' }, query: {} },
    global: {
      stubs:      { LabeledSelect: { props: ['value', 'options', 'label'], template: '<select :aria-label="label" />' } },
      components: { t: { props: ['k'], setup: (props: { k: string }) => () => t(props.k) } },
      mocks:      { t: (k: string, a?: Record<string, unknown>, raw?: boolean) => (raw ? t(k, a) : escapeHtml(t(k, a))) },
    },
  });
}

describe('the Grafana page in the languages the shell offers', () => {
  it('renders in Chinese when the user chose 简体中文', async() => {
    const wrapper = mountGrafana('zh-hans');

    await fetched();
    expect(wrapper.find('h1').text()).toBe('Grafana 仪表板');
    expect(wrapper.find('[data-testid="grafana-not-installed"]').text()).toContain('监控组件栈中没有安装 Grafana。');
    expect(wrapper.find('[data-testid="grafana-not-installed"] a').text()).toBe('安装监控组件栈');
    expect(wrapper.findAll('select').map((s) => s.attributes('aria-label'))).toEqual(['仪表板', '时间范围', '自动刷新']);
  });

  it('formats Chinese plurals with the shell formatter', () => {
    const t = shellT('zh-hans');

    expect(t('networkMonitoring.grafana.retryIn', { seconds: 5 })).toBe('5 秒后重试。');
    expect(t('networkMonitoring.flows.map.summary', { nodes: 1, edges: 12 })).toBe('1 个节点，12 条连接');
  });

  it('stays in English for en-us', async() => {
    const wrapper = mountGrafana('en-us');

    await fetched();
    expect(wrapper.find('h1').text()).toBe('Grafana Dashboards');
  });
});
