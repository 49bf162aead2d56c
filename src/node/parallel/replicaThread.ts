/** A replica thread: its own tfjs with the WASM backend, serving one replica to its parent. */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { serveReplica } from '../../core/parallel/server';
import { createSearchReplica } from '../../core/parallel/searchReplica';
import { createTrainReplica } from '../../core/parallel/trainReplica';
import type { ReplicaRequest } from '../../core/parallel/protocol';

if (!parentPort) throw new Error('replicaThread.ts must run in a worker thread');
const port = parentPort;
await tf.setBackend('wasm');
await tf.ready();
serveReplica(
  {
    post: (msg, transfer) => port.postMessage(msg, transfer),
    onMessage: (h) => port.on('message', (m: ReplicaRequest) => h(m)),
  },
  { search: createSearchReplica, train: createTrainReplica },
);
port.postMessage({ ready: tf.getBackend() });
