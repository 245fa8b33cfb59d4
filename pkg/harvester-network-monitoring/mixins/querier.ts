import {
  FetchLike, QuerierClient, QueryOutcome, PreparedQuery, ColumnSpecs, RowOf, createQuerierClient, csrfHeaders
} from '../domain/flows';

/**
 * The DeepFlow querier client of one page or tab: created for the route's cluster, with Rancher's
 * CSRF header, over window.fetch. Every run carries an AbortSignal of a channel (e.g. the page's
 * overview and its records table load independently); leaving the page aborts everything in flight
 * (the shell's default layout keys its <router-view> by $route.path, so another VM or cluster is a new
 * instance with a new client), and `restartQueries(channel)` aborts the channel's
 * previous load before a new one (so a slow old answer cannot overwrite a newer one).
 */
const transport: FetchLike = (url, init) => window.fetch(url, init) as ReturnType<FetchLike>;

export default {
  data() {
    return { querierUnavailable: false };
  },

  created(this: any) {
    this.querierChannels = new Map<string, AbortController>();
  },

  beforeUnmount(this: any) {
    this.abortAllQueries();
  },

  methods: {
    querierClient(this: any): QuerierClient | null {
      if (this.querierInstance === undefined) {
        try {
          this.querierInstance = createQuerierClient({
            clusterId: this.$route.params.cluster,
            fetch:     transport,
            headers:   csrfHeaders(typeof document === 'undefined' ? '' : document.cookie),
          });
          this.querierUnavailable = false;
        } catch {
          // The route's cluster id is not one a URL may carry.
          this.querierInstance = null;
          this.querierUnavailable = true;
        }
      }

      return this.querierInstance;
    },

    /** Aborts the channel's runs still in flight and returns the signal for its next load. */
    restartQueries(this: any, channel = 'main'): AbortSignal {
      const channels: Map<string, AbortController> = this.querierChannels;

      channels.get(channel)?.abort();
      const controller = new AbortController();

      channels.set(channel, controller);

      return controller.signal;
    },

    abortAllQueries(this: any): void {
      const channels: Map<string, AbortController> | undefined = this.querierChannels;

      channels?.forEach((c) => c.abort());
      channels?.clear();
    },

    /** Runs one query with `signal` (from restartQueries); resolves 'aborted' without a client. */
    runQuery<S extends ColumnSpecs>(this: any, query: PreparedQuery<S>, signal: AbortSignal): Promise<QueryOutcome<RowOf<S>>> {
      const client: QuerierClient | null = this.querierClient();

      if (!client) {
        return Promise.resolve({ state: 'aborted' });
      }

      return client.run(query, { signal });
    },
  },
};
