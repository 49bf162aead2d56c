/**
 * The worker's side of a page ↔ worker protocol, shared by both workers (search and studio):
 * commands run one after another in arrival order (a start must not overtake init's backend
 * choice, an upscale not a model load), a few are answered at once (pause, cancel, memory), a
 * command that throws becomes an error event and the queue goes on, and `debug:crash` (the
 * page's test hook) throws an uncaught error. Long loops are not commands: they run between
 * yields, so the queue stays free for pause or a live setting.
 */

/** The part of DedicatedWorkerGlobalScope the host uses (a fake stands in for it in tests). */
export interface HostScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export type Failure = 'init' | 'unknown' | 'command';

export interface HostSpec<C extends { type: string }, E> {
  /** Choose the backend; the returned event (status 'ready') is posted. */
  init: (cmd: Extract<C, { type: 'init' }>) => Promise<E>;
  /** Answered at once, outside the queue; true when it took the command. */
  immediate?: (cmd: C) => boolean;
  /** Every other command, in order; false for a command it does not know. */
  handle: (cmd: C) => Promise<boolean> | boolean;
  /** The error event for a failed init, an unknown command, or a command that threw. */
  failed: (cmd: C, message: string, kind: Failure) => E;
}

export const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class WorkerHost<C extends { type: string }, E> {
  private queue: Promise<void> = Promise.resolve();
  private readonly waiting: (() => void)[] = [];
  private port: MessagePort | null = null;

  constructor(
    private readonly scope: HostScope,
    private readonly transferables: (e: E) => Transferable[] = () => [],
  ) {}

  /** Posts an event to the page, handing over its buffers. */
  readonly post = (e: E): void => this.scope.postMessage(e, this.transferables(e));

  /**
   * Lets queued messages in between two steps of a loop. A MessageChannel round trip, not
   * setTimeout: nested timeouts are clamped to 4 ms.
   */
  readonly yieldToEvents = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!this.port) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => this.waiting.shift()?.();
        (channel.port1 as { unref?: () => void }).unref?.(); // Node: do not hold the process open
        this.port = channel.port2;
      }
      this.waiting.push(resolve);
      this.port.postMessage(0);
    });

  /** Starts taking commands. */
  serve(spec: HostSpec<C, E>): void {
    this.scope.onmessage = (ev: MessageEvent) => this.receive(ev.data as C, spec);
  }

  /**
   * Queue a background task behind the commands that arrive within `delayMs` (so a burst of
   * loads, or a user's first command, goes first); a failure is dropped: the task is optional.
   */
  later(task: () => Promise<void>, delayMs = 500): void {
    setTimeout(() => {
      this.queue = this.queue.then(task).catch(() => {});
    }, delayMs);
  }

  /** Resolves once every command received so far has been handled (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private receive(cmd: C, spec: HostSpec<C, E>): void {
    if (cmd.type === 'debug:crash') {
      setTimeout(() => {
        throw new Error('crash requested by the page (debug:crash)');
      });
      return;
    }
    try {
      if (spec.immediate?.(cmd)) return;
    } catch (e) {
      this.post(spec.failed(cmd, errText(e), 'command'));
      return;
    }
    this.queue = this.queue.then(() => this.run(cmd, spec));
  }

  private async run(cmd: C, spec: HostSpec<C, E>): Promise<void> {
    const isInit = cmd.type === 'init';
    try {
      if (isInit) this.post(await spec.init(cmd as Extract<C, { type: 'init' }>));
      else if (!(await spec.handle(cmd)))
        this.post(spec.failed(cmd, `unknown command ${JSON.stringify(cmd.type)}`, 'unknown'));
    } catch (e) {
      this.post(spec.failed(cmd, errText(e), isInit ? 'init' : 'command'));
    }
  }
}
