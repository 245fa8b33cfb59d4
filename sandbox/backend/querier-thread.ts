/**
 * The querier stand-in on a thread of its own. DeepFlow's querier is a service beside Rancher, not a part of it:
 * run on the sandbox's one event loop, a statement over 50,000 edges held up the Steve lists the same page waits
 * for, and the other way round. Each thread holds its own copy of the edges and answers one statement at a time;
 * the sandbox runs three (server.ts), so a page's small statements are not held up behind its large one. The
 * threads share the totals they hold (held-totals.ts): a page's statements over one range compute every minute once
 * between them.
 */
import fs from 'fs';
import path from 'path';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { HeldTotals } from './held-totals';
import {
  answerQuerier, prepareFlowEdges, shareHeldTotals, sharedHeldTotals
} from './querier';
import { FlowEdge } from './seed/flows';

export interface QuerierReply { status: number; text: string }

interface Request { id: number; body: string; now: number }

/**
 * The main thread's side: start() once, then answer() per statement; stop() ends the threads. With several threads
 * a statement goes to the one with the fewest statements waiting, so a small statement need not wait behind a large
 * one (DeepFlow's querier answers requests side by side).
 */
export class QuerierThread {
  /** Each thread with how many of its statements are unanswered. */
  private workers: { worker: Worker; waiting: number; tid?: number }[] = [];
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: QuerierReply) => void; reject: (e: Error) => void }>();
  /** The held totals every thread shares (all a thread holds from earlier statements). */
  private readonly held: HeldTotals;

  constructor(private readonly edges: readonly FlowEdge[], private readonly threads = 1) {
    this.held = sharedHeldTotals(edges.length);
  }

  /** Resolves when every thread has its edges ready (their tag rows made, as at a real querier's start). */
  async start(): Promise<void> {
    this.workers = Array.from({ length: this.threads }, () => ({ worker: this.startWorker(), waiting: 0 }));
    await Promise.all(this.workers.map((entry) => new Promise<void>((resolve, reject) => {
      entry.worker.once('message', (ready: { tid?: number }) => {
        entry.tid = ready?.tid;
        resolve();
      });
      entry.worker.once('error', reject);
    })));
    this.workers.forEach((entry) => entry.worker.on('message', ({ id, status, text }: QuerierReply & { id: number }) => {
      entry.waiting--;
      this.pending.get(id)?.resolve({ status, text });
      this.pending.delete(id);
    }));
  }

  private startWorker(): Worker {
    // The thread runs this file through the sandbox's TypeScript loader.
    const worker = new Worker(`require(${ JSON.stringify(path.join(__dirname, '../register.js')) }); require(${ JSON.stringify(__filename) });`, {
      eval: true, workerData: { edges: this.edges, held: this.held.buffer }
    });

    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      this.workers = this.workers.filter((w) => w.worker !== worker);
      this.failAll(new Error(`the querier thread exited (code ${ code })`));
    });

    return worker;
  }

  answer(body: string, now = new Date()): Promise<QuerierReply> {
    const target = this.workers.reduce<typeof this.workers[number] | undefined>((best, w) => (!best || w.waiting < best.waiting ? w : best), undefined);

    if (!target) {
      return Promise.reject(new Error('the querier thread is not started'));
    }
    const id = this.nextId++;
    const request: Request = { id, body, now: now.getTime() };

    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      target.waiting++;
      target.worker.postMessage(request);
    });
  }

  /** The threads' Linux thread ids, where /proc tells them (the scale bench reports their CPU apart). */
  threadIds(): number[] {
    return this.workers.map((w) => w.tid).filter((tid): tid is number => tid !== undefined);
  }

  /**
   * Drops every held total, so the next statement computes from the minutes as a first one does (the scale
   * benchmark's measured runs); called between statements, and done before the call returns. DeepFlow's querier has
   * ClickHouse keep an answer only when a request asks for it (v7.1.8 server/querier/router/query.go:
   * `use_query_cache` defaults to false; client/client.go then adds `SETTINGS use_query_cache = true`), and the
   * extension does not ask.
   */
  forget(): void {
    this.held.forget();
  }

  async stop(): Promise<void> {
    const workers = this.workers;

    this.workers = [];
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private failAll(err: Error): void {
    this.pending.forEach(({ reject }) => reject(err));
    this.pending.clear();
  }
}

/** This thread's id on Linux (/proc/thread-self links to /proc/<pid>/task/<tid>), else undefined. */
function linuxThreadId(): number | undefined {
  try {
    return Number(path.basename(fs.readlinkSync('/proc/thread-self'))) || undefined;
  } catch {
    return undefined;
  }
}

// The thread's side.
if (!isMainThread && parentPort && workerData?.edges) {
  const port = parentPort;
  const edges: FlowEdge[] = workerData.edges;

  prepareFlowEdges(edges);
  shareHeldTotals(edges, workerData.held);
  port.on('message', ({ id, body, now }: Request) => {
    const answer = answerQuerier(new URLSearchParams(body), edges, new Date(now));

    port.postMessage({ id, status: answer.status, text: JSON.stringify(answer.body) + (answer.trailer ?? '') });
  });
  port.postMessage({ tid: linuxThreadId() });
}
