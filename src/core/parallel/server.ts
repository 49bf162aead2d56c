import type { Replica } from './replica';
import { transferables, type ReplicaReply, type ReplicaRequest } from './protocol';

/** The two ends of a message channel, as the replica side sees them (no Node/DOM import). */
export interface Port {
  post(msg: ReplicaReply, transfer: ArrayBuffer[]): void;
  onMessage(handler: (msg: ReplicaRequest) => void): void;
}

export type ReplicaFactory = (init: unknown) => Promise<Replica>;

/**
 * Serve one replica over a port: requests run one at a time in arrival order (the coordinator
 * relies on that order: grads, apply, endStep), errors are replied, not thrown.
 */
export function serveReplica(port: Port, factories: Record<string, ReplicaFactory>): void {
  let replica: Replica | null = null;
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: ReplicaRequest): Promise<unknown> => {
    if (m.type === 'init') {
      const f = factories[m.kind];
      if (!f) throw new Error(`no replica factory '${m.kind}'`);
      replica?.dispose();
      replica = await f(m.init);
      return undefined;
    }
    if (!replica) throw new Error(`replica not initialised (got '${m.type}')`);
    switch (m.type) {
      case 'grads':
        return replica.computeGrads(m.phase, m.shard, m.options);
      case 'apply':
        return replica.applyGrads(m.phase, m.grads, m.missing);
      case 'endStep':
        return replica.endStep();
      case 'checksum':
        return replica.checksum();
      case 'numTensors':
        return replica.numTensors();
      case 'dispose':
        replica.dispose();
        replica = null;
        return undefined;
    }
  };
  port.onMessage((m) => {
    queue = queue.then(async () => {
      try {
        const result = await handle(m);
        port.post({ id: m.id, ok: true, result }, transferables(result));
      } catch (e) {
        port.post(
          { id: m.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) },
          [],
        );
      }
    });
  });
}
