import { loadStackObjects, collectStackObjects, LoadProblem } from '../domain/stack/load';
import {
  evaluateStack, stackPresence, StackPresence, StackStatus
} from '../domain/stack/status';
import { progressItems, ProgressItem } from '../domain/stack/progress';

const IN_STORE = 'harvester';

/**
 * Loads and watches the monitoring stack's objects through the Harvester store and exposes the
 * derived status. Shared by every page and tab that shows the stack's state. No lifecycle hook:
 * each page calls `loadStack()` from its `async fetch()` (the shell's fetch mixin), alongside
 * the page's own data, so `$fetchState.pending` covers the whole first load.
 */
export default {
  data() {
    return { stackLoading: true, stackProblems: [] as LoadProblem[] };
  },

  computed: {
    stackObjects(this: any) {
      const all = this.$store.getters[`${ IN_STORE }/all`];

      return collectStackObjects((type: string) => (typeof all === 'function' ? all(type) : []));
    },
    stackStatus(this: any): StackStatus {
      return evaluateStack(this.stackObjects);
    },
    stackPresence(this: any): StackPresence {
      return stackPresence(this.stackStatus.state, this.stackLoading, this.stackProblems.length);
    },
    /** True only when the stack's objects loaded and none exists (see stackPresence). */
    stackNotInstalled(this: any): boolean {
      return this.stackPresence === 'not-installed';
    },
    stackProgress(this: any): ProgressItem[] {
      const o = this.stackObjects;

      return progressItems(o.addon, o.pods, o.events);
    },
  },

  methods: {
    /**
     * Never throws for a resource that cannot be read: those become `stackProblems`, shown per resource.
     * `activity: false` on pages that do not show the install progress (`stackProgress` is then empty);
     * `nodes: false` on pages that list nodes with their own objects (loadStackObjects).
     */
    async loadStack(this: any, { activity = true, nodes = true } = {}) {
      this.stackLoading = true;
      try {
        this.stackProblems = await loadStackObjects(this.$store, IN_STORE, { activity, nodes });
      } finally {
        this.stackLoading = false;
      }
    },
  },
};
