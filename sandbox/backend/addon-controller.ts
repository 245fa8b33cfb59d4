/**
 * Harvester's addon controller, reduced to what the UI observes: when our Addon is enabled it goes
 * AddonEnabling with the chart's workloads created but not ready, then AddonDeploySuccessful with
 * everything running; disabling removes the workloads; deleting the Addon removes the release.
 * It watches the real API server, so whatever the UI writes (create, edit, disable) drives it.
 */
import { KubeClient } from '../kube/client';
import { JsonObject } from './http';
import { kubePath } from './kube-source';
import { putObjects } from './kube-seed';
import { watchKube } from './kube-watch';
import {
  AddonPhase, addonStatus, stackWorkloadObjects
} from './seed/stack';
import { CLUSTER_TYPES, TypedObject, typeById } from './types';

const ADDON = typeById(CLUSTER_TYPES, 'harvesterhci.io.addon');
const CHART = 'harvester-network-monitoring-stack';
const WORKLOAD_KINDS = ['DaemonSet', 'Deployment', 'StatefulSet', 'Pod'];

/** The same objects as a cluster shows them while images pull: created, nothing ready yet. */
function notReady({ type, object }: TypedObject): TypedObject {
  const o = JSON.parse(JSON.stringify(object));

  if (o.kind === 'Pod') {
    o.status = {
      ...o.status,
      phase:             'Pending',
      conditions:        [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: (o.status?.containerStatuses || []).map((c: JsonObject) => ({
        ...c, ready: false, state: { waiting: { reason: 'ContainerCreating' } }
      })),
    };
  } else if (o.kind === 'DaemonSet') {
    o.status = { ...o.status, numberReady: 0, numberAvailable: 0 };
  } else if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
    o.status = { ...o.status, readyReplicas: 0, availableReplicas: 0 };
  }

  return { type, object: o };
}

export class AddonController {
  private stopWatch?: () => void;
  private queue: Promise<void> = Promise.resolve();
  private readonly handled = new Map<string, string>();
  /** While set, every phase waits for release before it ends (see hold). */
  private gate?: { promise: Promise<void>; release: () => void };
  /** Phases waiting at the gate: their writes are done until release. */
  private parked = 0;
  readonly errors: string[] = [];

  /** stepMs: how long each phase lasts, so the UI's progress view can be seen following it. */
  constructor(private readonly kube: KubeClient, private readonly stepMs: number) {}

  start(): void {
    const watch = () => {
      this.stopWatch = watchKube(this.kube.env, kubePath(ADDON), undefined, (event) => {
        if (event.object?.spec?.chart !== CHART) {
          return;
        }
        this.enqueue(() => (event.type === 'DELETED' ? this.removeRelease(event.object) : this.reconcile(event.object)));
      }, () => {
        // The API server ends watches after a while: watch again unless stopped (a re-list replays
        // every Addon as ADDED; reconcile skips what it already handled).
        if (this.stopWatch) {
          setTimeout(() => this.stopWatch && watch(), 500);
        }
      });
    };

    watch();
  }

  stop(): void {
    const stop = this.stopWatch;

    this.stopWatch = undefined;
    stop?.();
  }

  /** Resolves when every change seen so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e) => {
      this.errors.push(String(e?.message || e));
    });
  }

  /**
   * Holds every Addon in its current phase (e.g. AddonEnabling with nothing ready) until released,
   * so a test can look at the UI's in-progress state for as long as it needs, whatever the machine's speed.
   */
  hold(on: boolean): void {
    if (on && !this.gate) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });

      this.gate = { promise, release };
    } else if (!on && this.gate) {
      this.gate.release();
      this.gate = undefined;
    }
  }

  get held(): boolean {
    return !!this.gate;
  }

  /**
   * Resolves once a held phase is waiting at the gate, its writes done (at once when nothing is held), when a
   * reconcile failed, or after `timeoutMs`: a test that changes the stack's objects by hand meanwhile would otherwise
   * race the controller's own writes (a 409 on either side; the controller's ended its reconcile, and the Addon
   * never became ready).
   */
  async settled(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const failures = this.errors.length;

    while (this.gate && !this.parked && this.errors.length === failures && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async sleep(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.stepMs));
    const gate = this.gate?.promise;

    if (gate) {
      this.parked++;
      try {
        await gate;
      } finally {
        this.parked--;
      }
    }
  }

  private async setPhase(addon: JsonObject, phase: AddonPhase): Promise<void> {
    const path = kubePath(ADDON, addon.metadata.namespace, addon.metadata.name);
    const current = await this.kube.request('GET', path);

    if (current.status === 200) {
      await this.kube.ok('PUT', `${ path }/status`, { ...current.body, status: addonStatus(phase) });
    }
  }

  private async reconcile(addon: JsonObject): Promise<void> {
    const key = `${ addon.metadata.namespace }/${ addon.metadata.name }`;
    // Status writes come back as events too; act once per spec change.
    const specKey = JSON.stringify(addon.spec);

    if (this.handled.get(key) === specKey) {
      return;
    }
    this.handled.set(key, specKey);
    const objects = stackWorkloadObjects();

    if (addon.spec.enabled) {
      await this.setPhase(addon, 'enabling');
      await putObjects(this.kube, objects.map(notReady));
      await this.sleep();
      await putObjects(this.kube, objects);
      await this.setPhase(addon, 'deployed');
    } else {
      await this.setPhase(addon, 'disabling');
      await this.sleep();
      await this.deleteObjects(objects.filter((t) => WORKLOAD_KINDS.includes(t.type.kind)));
      await this.setPhase(addon, 'disabled');
    }
  }

  private async removeRelease(addon: JsonObject): Promise<void> {
    this.handled.delete(`${ addon.metadata.namespace }/${ addon.metadata.name }`);
    await this.deleteObjects(stackWorkloadObjects());
  }

  private async deleteObjects(objects: TypedObject[]): Promise<void> {
    for (const { type, object } of objects) {
      // No kubelet runs here to finish a pod's graceful termination: without grace 0 a deleted pod would stay
      // "terminating" and be found again (same name) by the next install.
      const options = type.kind === 'Pod' ? { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 } : undefined;

      await this.kube.request('DELETE', kubePath(type, object.metadata.namespace, object.metadata.name), options);
    }
  }
}
