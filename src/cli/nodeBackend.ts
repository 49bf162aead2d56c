import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../core/kernels/registerWasm';

// Relaxed SIMD (standard WebAssembly, shipped in Chromium 114 and Node 22) is behind a flag in
// Node 20; with it the packed kernel's nibble lookups are one x64 pshufb each (its 'relaxed'
// build, docs/decisions.md). The flag only enables validation of those instructions; where it is
// unknown, the kernel falls back to its plain-SIMD build, with the same results.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

/** The Node backend for training and inference: WASM (the CPU backend is ~100× slower). */
export async function startWasmBackend(): Promise<string> {
  if (tf.getBackend() !== 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the WASM backend could not start');
  }
  await tf.ready();
  registerWasmKernels(); // the packed engine's XNOR-popcount kernel
  return tf.getBackend();
}
