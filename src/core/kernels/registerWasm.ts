import * as tf from '@tensorflow/tfjs';
import { registerBinConvWasm } from './binconv';
import { shuffleAddKernelConfig } from './shuffleAdd';

/**
 * Register every kernel of our WASM module on tfjs' WASM backend (idempotent): the binary op
 * and channel concat (binconv.ts) and the fused pixel shuffle + add (shuffleAdd.ts).
 */
export function registerWasmKernels(): void {
  registerBinConvWasm();
  if (tf.getKernel(shuffleAddKernelConfig.kernelName, 'wasm') == null)
    tf.registerKernel(shuffleAddKernelConfig);
}
