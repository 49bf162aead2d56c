import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerBinConvWasm } from '../core/kernels/binconv';

/** The Node backend for training and inference: WASM (the CPU backend is ~100× slower). */
export async function startWasmBackend(): Promise<string> {
  if (tf.getBackend() !== 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the WASM backend could not start');
  }
  await tf.ready();
  registerBinConvWasm(); // the packed engine's XNOR-popcount kernel
  return tf.getBackend();
}
