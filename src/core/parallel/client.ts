import {
  transferables,
  type ReplicaCall,
  type ReplicaReply,
  type ReplicaRequest,
} from './protocol';

/** The coordinator's end of a channel to one replica thread (no Node/DOM import). */
export interface Channel {
  post(msg: ReplicaRequest, transfer: ArrayBuffer[]): void;
  onMessage(handler: (msg: ReplicaReply) => void): void;
  onError(handler: (e: Error) => void): void;
  terminate(): Promise<void>;
}

/** Request/reply over a Channel: each call resolves with its reply's result, in any order. */
export class ReplicaClient {
  private next = 1;
  private readonly waiting = new Map<
    number,
    { ok: (v: unknown) => void; fail: (e: Error) => void }
  >();
  private failed: Error | null = null;

  constructor(private readonly channel: Channel) {
    channel.onMessage((m) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.ok(m.result);
      else w.fail(new Error(`replica: ${m.error}`));
    });
    channel.onError((e) => {
      this.failed = e;
      for (const w of this.waiting.values()) w.fail(e);
      this.waiting.clear();
    });
  }

  call<T = unknown>(msg: ReplicaCall): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const req = { ...msg, id } as ReplicaRequest;
    return new Promise<T>((ok, fail) => {
      this.waiting.set(id, { ok: ok as (v: unknown) => void, fail });
      this.channel.post(req, transferables(msg));
    });
  }

  async close(): Promise<void> {
    if (!this.failed) await this.call({ type: 'dispose' }).catch(() => undefined);
    await this.channel.terminate();
  }
}
