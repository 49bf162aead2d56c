/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import './registerBackends';
import { chooseBackend } from '../core/backend';
import { describeAdapter } from './adapter';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { WorkerHost } from './host';
import { SearchRunner } from './searchRunner';
import { createSearch } from './searchFactory';

const host = new WorkerHost<WorkerCommand, WorkerEvent>(
  self as unknown as DedicatedWorkerGlobalScope,
);
const post = host.post;

const runner = new SearchRunner(post, createSearch, {
  minIntervalMs: 100,
  yieldToEvents: host.yieldToEvents,
  backend: () => tf.getBackend(),
});

// Every command is queued, pause and setLive too: the search loop itself is not a command, so
// they still get in between two steps.
host.serve({
  init: async (cmd) => {
    let choice = await chooseBackend(cmd.backends);
    const adapter = choice.name === 'webgpu' ? await describeAdapter() : {};
    // 'auto' means the fastest: a software WebGPU adapter (SwiftShader, no GPU) is far
    // slower than WASM on the same CPU (measured ~35 s vs ~2 s a step), so auto moves on.
    // An explicit 'webgpu' preference (cmd.backends given) keeps it.
    let avoided: string | undefined;
    if (!cmd.backends && adapter.softwareAdapter) {
      const next = await chooseBackend(['wasm', 'cpu']);
      avoided = `WebGPU runs on a software adapter (${adapter.adapter}) here, so auto chose ${next.name}`;
      choice = {
        name: next.name,
        skipped: [
          ...choice.skipped,
          { name: 'webgpu', error: `software adapter (${adapter.adapter})` },
          ...next.skipped,
        ],
      };
    }
    return {
      status: 'ready',
      backend: choice.name,
      skipped: choice.skipped,
      tfVersion: tf.version.tfjs,
      ...adapter,
      ...(avoided ? { avoided } : {}),
    };
  },
  handle: async (cmd) => {
    switch (cmd.type) {
      case 'search:start':
        await runner.start(cmd.runId, cmd.config, cmd.images, cmd.paused, cmd.checkpoint);
        return true;
      case 'search:pause':
        runner.pause(cmd.runId);
        return true;
      case 'search:resume':
        runner.resume(cmd.runId);
        return true;
      case 'search:step':
        await runner.stepOnce(cmd.runId);
        return true;
      case 'search:reset':
        await runner.reset(cmd.runId);
        return true;
      case 'search:setLive':
        runner.setLive(cmd.runId, cmd.partial);
        return true;
      default:
        return false;
    }
  },
  failed: (_cmd, message, kind) => ({
    status: 'error',
    code:
      kind === 'init'
        ? 'BACKEND_UNAVAILABLE'
        : kind === 'unknown'
          ? 'BAD_COMMAND'
          : 'SEARCH_FAILED',
    message,
  }),
});
