/**
 * The querier stand-in on a thread of its own. DeepFlow's querier is a service beside Rancher, not a part of it:
 * run on the sandbox's one event loop, a statement over 50,000 edges held up the Steve lists the same page waits
 * for, and the other way round. The thread holds its own copy of the edges and answers one statement at a time.
 */
import path from 'path';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { answerQuerier, prepareFlowEdges } from './querier';
import { FlowEdge } from './seed/flows';

export interface QuerierReply { status: number; text: string }

interface Request { id: number; body: string; now: number }

/** The main thread's side: start() once, then answer() per statement; stop() ends the thread. */
export class QuerierThread {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: QuerierReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly edges: readonly FlowEdge[]) {}

  /** Resolves when the thread has its edges ready (their tag rows made, as at a real querier's start). */
  start(): Promise<void> {
    // The thread runs this file through the sandbox's TypeScript loader.
    const worker = new Worker(`require(${ JSON.stringify(path.join(__dirname, '../register.js')) }); require(${ JSON.stringify(__filename) });`, {
      eval: true, workerData: { edges: this.edges }
    });

    this.worker = worker;
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.failAll(new Error(`the querier thread exited (code ${ code })`));
    });

    return new Promise((resolve, reject) => {
      worker.once('message', () => {
        worker.on('message', ({ id, status, text }: QuerierReply & { id: number }) => {
          this.pending.get(id)?.resolve({ status, text });
          this.pending.delete(id);
        });
        resolve();
      });
      worker.once('error', reject);
    });
  }

  answer(body: string, now = new Date()): Promise<QuerierReply> {
    if (!this.worker) {
      return Promise.reject(new Error('the querier thread is not started'));
    }
    const id = this.nextId++;
    const request: Request = { id, body, now: now.getTime() };

    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker?.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;

    this.worker = undefined;
    await worker?.terminate();
  }

  private failAll(err: Error): void {
    this.pending.forEach(({ reject }) => reject(err));
    this.pending.clear();
  }
}

// The thread's side.
if (!isMainThread && parentPort && workerData?.edges) {
  const port = parentPort;
  const edges: FlowEdge[] = workerData.edges;

  prepareFlowEdges(edges);
  port.on('message', ({ id, body, now }: Request) => {
    const answer = answerQuerier(new URLSearchParams(body), edges, new Date(now));

    port.postMessage({ id, status: answer.status, text: JSON.stringify(answer.body) + (answer.trailer ?? '') });
  });
  port.postMessage('ready');
}
