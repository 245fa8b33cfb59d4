import { mount, MountingOptions } from '@vue/test-utils';
import fetchMixin from '@shell/mixins/fetch.client.js';
import { installDirectives } from '@shell/initialize/install-directives';
import { installComponents } from '@shell/initialize/install-components';
import { escapeHtml } from '@shell/utils/string';
import { getters as prefGetters, state as prefState } from '@shell/store/prefs';
import ShortKey from '@shell/plugins/shortkey';
import FloatingVue from 'floating-vue';
import { floatingVueOptions } from '@shell/plugins/floating-vue';
import { hasKey, translate } from './l10n';

export interface FakeStoreOptions {
  getters?: Record<string, unknown>;
  dispatch?: (action: string, payload?: any) => Promise<unknown>;
}

export function fakeStore(opts: FakeStoreOptions = {}) {
  const dispatched: { action: string; payload: any }[] = [];

  return {
    dispatched,
    getters:  {
      'i18n/t':                                    (k: string, a?: Record<string, unknown>) => translate(k, a),
      'i18n/exists':                               hasKey,
      // The shell's own preference getter over its defaults (SortableTable's rows per page, among others).
      'prefs/get':                                 prefGetters.get(prefState()),
      // What SortableTable maps from the store besides: no manual-refresh mode, no open action menu.
      'resource-fetch/isTooManyItemsToAutoUpdate': false,
      'resource-fetch/manualRefreshIsLoading':     false,
      'action-menu/elem':                          null,
      'action-menu/showing':                       false,
      activeNamespaceCache:                        {},
      ...opts.getters
    },
    dispatch: (action: string, payload?: any) => {
      dispatched.push({ action, payload });

      return opts.dispatch ? opts.dispatch(action, payload) : Promise.resolve([]);
    },
  };
}

// The fetches in flight: the shell's mixin keeps them private (fetch.client.js `_fetchPromise`).
const inFlight = new Set<Promise<void>>();

/**
 * Test-only: records every `$fetch()` of a component (the shell's beforeMount calls it through `this.$fetch`,
 * and so do Refresh buttons), so `fetched()` can wait for them. The shell's own fetch still runs unchanged.
 */
const trackFetches = {
  beforeCreate(this: any) {
    const shellFetch = this.$fetch;

    if (typeof shellFetch !== 'function') {
      return;
    }
    this.$fetch = (...args: unknown[]) => {
      const p = shellFetch(...args);
      const forget = () => inFlight.delete(p);

      inFlight.add(p);
      p.then(forget, forget);

      return p;
    };
  },
};

/** Mounts a component the way the shell provides it: `t`, `$store`, `$route`, router-link, its global mixin. */
export function mountWithShell(component: any, options: MountingOptions<any> & { store?: ReturnType<typeof fakeStore>; route?: object } = {}) {
  const store = options.store || fakeStore();
  const route = options.route || { params: { product: 'harvester', cluster: 'c-abc12' }, query: {} };

  return mount(component, {
    ...options,
    global: {
      ...(options.global || {}),
      // The shell's own directives (v-clean-html sanitising among them), global components (v-select), and the
      // plugins SortableTable's template uses (v-shortkey, v-close-popper), installed as shell/initialize/install-plugins.js does.
      plugins:    [
        { install: installDirectives }, { install: installComponents },
        [ShortKey, { prevent: ['input', 'textarea', 'select'], preventContainer: ['#modal-container-element'] }],
        [FloatingVue, floatingVueOptions],
        ...(options.global?.plugins || []),
      ],
      // Components that call vuex's useStore() (SortableTable) find the store where the app provides it.
      provide:    { store, ...(options.global?.provide || {}) },
      // The shell applies this to every component (it owns a `state` data property), so ours must coexist with it.
      mixins:     [fetchMixin, trackFetches, ...(options.global?.mixins || [])],
      components: {
        // The shell registers a global <t k="..."> component; render it from the same l10n file.
        t: { props: ['k'], setup: (props: { k: string }) => () => translate(props.k) },
        ...(options.global?.components || {}),
      },
      mocks: {
        // As the shell's t(): HTML-escaped unless the third argument asks for the raw text.
        t:       (k: string, a?: Record<string, unknown>, raw?: boolean) => (raw ? translate(k, a) : escapeHtml(translate(k, a))),
        $store:  store,
        $route:  route,
        $router: { push: jest.fn(), replace: jest.fn() },
        ...(options.global?.mocks || {}),
      },
      stubs: {
        'router-link': { props: ['to'], template: '<a :data-to="JSON.stringify(to)"><slot /></a>' },
        Loading:       { template: '<div data-testid="loading" />' },
        ...(options.global?.stubs || {}),
      },
    },
  });
}

/** Lets pending promise callbacks run. */
export const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Waits until every component's `fetch()` settled, including the shell's minimum pending time (fetchDelay,
 * 200 ms by default; real time, so not under fake timers), then lets what they started run.
 */
export async function fetched() {
  while (inFlight.size) {
    await Promise.all([...inFlight]);
  }
  await flushPromises();
}

/**
 * Waits until `condition()` holds, for what components do after a debounce (SortableTable reports a header
 * click 50 ms later, shell components/SortableTable/index.vue `debouncedPaginationChanged`). Fails with `what`
 * when it never holds (after about three seconds); it asserts nothing about how long it took.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${ what }`);
}
