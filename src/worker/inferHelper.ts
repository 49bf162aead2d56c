/// <reference lib="webworker" />
// A tile helper: one more tfjs WASM instance (its own thread) that runs tiles of an upscale for
// the studio worker, so inference uses every core without shared memory (tfjs' threaded WASM
// build hung here, DESIGN §4). Tiles are exact wherever they run (infer.ts), so the assembled
// image equals a one-thread run bit for bit.
import './registerBackends';
import { createHelper, startNamedBackend } from './helperCore';
import type { HelperCommand, HelperEvent } from './tilePool';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const onCommand = createHelper(
  (e: HelperEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer),
  startNamedBackend,
  () =>
    new Promise<void>((r) => {
      waiting.push(r);
      channel.port2.postMessage(0);
    }),
);
scope.onmessage = (ev: MessageEvent<HelperCommand>) => onCommand(ev.data);
