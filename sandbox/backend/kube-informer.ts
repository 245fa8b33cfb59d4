/**
 * One type's objects held the way Rancher's Steve holds them since v2.12: a list of the API server, then kept
 * current by a watch (an informer), and lists answered from it. Rancher's UI server-side pagination cache is on by
 * default from v2.12.0 (SUSE Rancher Manager docs, "UI Server-Side Pagination": "optional, enabled by default, and
 * it can be disabled via the feature flag ui-sql-cache"); its lists come from rancher/steve's ListOptions informer
 * (pkg/sqlcache/Readme.md: an informer whose indexer is an SQLite store). Without it the sandbox listed thousands of
 * pods from the API server on every request, which Rancher at scale does not do.
 */
import { JsonObject } from './http';
import { ChangeKind } from './steve-api';

export type Lister = () => Promise<{ objects: JsonObject[]; revision: string }>;

export type Watcher = (revision: string, onChange: (kind: ChangeKind, object: JsonObject) => void, onEnd: () => void) => () => void;

const keyOf = (o: JsonObject) => `${ o.metadata?.namespace ?? '' }/${ o.metadata?.name ?? '' }`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** etcd revisions are integers (resourceVersion is opaque to clients, but the sandbox owns its API server). */
const revisionOf = (o: JsonObject): bigint => {
  try {
    return BigInt(o.metadata?.resourceVersion ?? 0);
  } catch {
    return BigInt(0);
  }
};

export class Informer {
  private readonly objects = new Map<string, JsonObject>();
  private revision = '';
  private stopWatch?: () => void;
  /** Set once the watch ended: the informer answers no more lists (its owner lists again through a new one). */
  stopped = false;
  readonly synced: Promise<void>;

  constructor(list: Lister, watch: Watcher, private readonly onStop: () => void) {
    this.synced = list().then(({ objects, revision }) => {
      objects.forEach((o) => this.objects.set(keyOf(o), o));
      this.revision = revision;
      if (!this.stopped) {
        this.stopWatch = watch(revision, (kind, object) => this.apply(kind, object), () => this.stop());
      }
    }, (error) => {
      this.stop();
      throw error;
    });
  }

  /** A change seen by the watch or made through the sandbox (a write answers before its watch event arrives). */
  apply(kind: ChangeKind, object: JsonObject): void {
    const key = keyOf(object);
    const held = this.objects.get(key);

    if (held && revisionOf(held) > revisionOf(object)) {
      return;
    }
    if (kind === 'remove') {
      this.objects.delete(key);
    } else {
      this.objects.set(key, object);
    }
    if (revisionOf(object) > BigInt(this.revision || 0)) {
      this.revision = String(object.metadata.resourceVersion);
    }
  }

  /** An object deleted through the sandbox, known by its name only. */
  forget(namespace: string | undefined, name: string): void {
    this.objects.delete(`${ namespace ?? '' }/${ name }`);
  }

  async list(namespace?: string): Promise<{ objects: JsonObject[]; revision: string }> {
    await this.synced;
    const all = [...this.objects.values()].filter((o) => !namespace || o.metadata?.namespace === namespace);

    // Steve's cache sorts by metadata.namespace, then metadata.name (pkg/sqlcache/Readme.md, "ListOptions Behavior").
    all.sort((a, b) => compare(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || compare(a.metadata?.name ?? '', b.metadata?.name ?? ''));

    return { objects: all, revision: this.revision };
  }

  stop(): void {
    if (!this.stopped) {
      this.stopped = true;
      this.stopWatch?.();
      this.onStop();
    }
  }
}
