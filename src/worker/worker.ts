/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import './registerBackends';
import { chooseBackend } from '../core/backend';
import { describeAdapter } from './adapter';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { SearchRunner } from './searchRunner';
import { createSearch } from './searchFactory';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: WorkerEvent) => scope.postMessage(e);

// A MessageChannel yield lets queued commands (pause, setLive) in between two steps without
// the 4 ms clamp nested setTimeouts get.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = () =>
  new Promise<void>((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });

const runner = new SearchRunner(post, createSearch, {
  minIntervalMs: 100,
  yieldToEvents,
  backend: () => tf.getBackend(),
});

// Commands run one after another (a search:start must not overtake init's backend choice);
// the search loop itself is not a command, so pause and setLive still get in between steps.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<WorkerCommand>) => {
  queue = queue.then(() => handle(ev.data));
};

async function handle(cmd: WorkerCommand): Promise<void> {
  try {
    switch (cmd.type) {
      case 'init': {
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
        post({
          status: 'ready',
          backend: choice.name,
          skipped: choice.skipped,
          tfVersion: tf.version.tfjs,
          ...adapter,
          ...(avoided ? { avoided } : {}),
        });
        break;
      }
      case 'search:start':
        await runner.start(cmd.runId, cmd.config, cmd.images, cmd.paused, cmd.checkpoint);
        break;
      case 'search:pause':
        runner.pause(cmd.runId);
        break;
      case 'search:resume':
        runner.resume(cmd.runId);
        break;
      case 'search:step':
        await runner.stepOnce(cmd.runId);
        break;
      case 'search:reset':
        await runner.reset(cmd.runId);
        break;
      case 'search:setLive':
        runner.setLive(cmd.runId, cmd.partial);
        break;
      case 'debug:crash':
        setTimeout(() => {
          throw new Error('crash requested by the page (debug:crash)');
        });
        break;
      default:
        post({
          status: 'error',
          code: 'BAD_COMMAND',
          message: `unknown command ${JSON.stringify((cmd as { type?: unknown }).type)}`,
        });
    }
  } catch (e) {
    post({
      status: 'error',
      code: cmd.type === 'init' ? 'BACKEND_UNAVAILABLE' : 'SEARCH_FAILED',
      message: e instanceof Error ? e.message : String(e),
    });
  }
}
