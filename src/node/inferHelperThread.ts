// A tile-helper thread in Node: the page's inferHelper.ts, on worker_threads and the CLI's WASM.
import { parentPort } from 'node:worker_threads';
import { startWasmBackend } from '../cli/nodeBackend';
import { createHelper } from '../worker/helperCore';
import type { HelperCommand, HelperEvent } from '../worker/tilePool';

const port = parentPort!;
const onCommand = createHelper(
  (e: HelperEvent, transfer: Transferable[] = []) =>
    port.postMessage(e, transfer as unknown as readonly ArrayBuffer[]),
  async () => startWasmBackend(),
  () => new Promise<void>((r) => setImmediate(r)),
);
port.on('message', (cmd: HelperCommand) => onCommand(cmd));
