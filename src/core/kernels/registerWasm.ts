import * as tf from '@tensorflow/tfjs';
import { binConvKernelConfigs } from './binconv';
import { shuffleAddKernelConfig } from './shuffleAdd';

/**
 * Register every kernel of our WASM module on tfjs' WASM backend (idempotent): the binary op
 * and channel concat (binconv.ts) and the fused pixel shuffle + add (shuffleAdd.ts). Needs
 * WebAssembly SIMD128 (Node ≥ 16.4, Chromium ≥ 91).
 */
export function registerWasmKernels(): void {
  for (const k of [...binConvKernelConfigs, shuffleAddKernelConfig])
    if (tf.getKernel(k.kernelName, k.backendName) == null) tf.registerKernel(k);
}
