/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import './registerBackends';
import { chooseBackend } from '../core/backend';
import type { WorkerCommand, WorkerEvent } from './protocol';

const post = (e: WorkerEvent) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(e);

self.onmessage = async (ev: MessageEvent<WorkerCommand>) => {
  const cmd = ev.data;
  try {
    if (cmd.type === 'init') {
      const choice = await chooseBackend(cmd.backends);
      post({
        status: 'ready',
        backend: choice.name,
        skipped: choice.skipped,
        tfVersion: tf.version.tfjs,
      });
    }
  } catch (e) {
    post({
      status: 'error',
      code: 'BACKEND_UNAVAILABLE',
      message: e instanceof Error ? e.message : String(e),
    });
  }
};
