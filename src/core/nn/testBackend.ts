import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../kernels/registerWasm';

/** Tests run on the WASM backend, the one Node trains on (the CPU backend is ~100× slower). */
export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmKernels();
}
