import { loadStackObjects, collectStackObjects, LoadProblem } from '../domain/stack/load';
import { evaluateStack, StackStatus } from '../domain/stack/status';

const IN_STORE = 'harvester';

/**
 * Loads and watches the monitoring stack's objects through the Harvester store and exposes the
 * derived status. Shared by every page and tab that shows the stack's state.
 */
export default {
  data() {
    return { stackLoading: true, stackProblems: [] as LoadProblem[] };
  },

  async created(this: any) {
    await this.loadStack();
  },

  computed: {
    stackStatus(this: any): StackStatus {
      const all = this.$store.getters[`${ IN_STORE }/all`];

      return evaluateStack(collectStackObjects((type: string) => (typeof all === 'function' ? all(type) : [])));
    },
  },

  methods: {
    async loadStack(this: any) {
      this.stackLoading = true;
      try {
        this.stackProblems = await loadStackObjects(this.$store, IN_STORE);
      } finally {
        this.stackLoading = false;
      }
    },
  },
};
