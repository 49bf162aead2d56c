import * as tf from '@tensorflow/tfjs';

/**
 * Backends whose tensors live in (or next to) the JS heap, so reading a small tensor with
 * dataSync is cheap. There, small filter computations run in plain JS instead of as dozens
 * of tfjs kernels (each paying tfjs' per-kernel dispatch); on WebGL/WebGPU a read would stall
 * on the GPU, so they stay in tensor ops.
 */
export function hostReadable(backend = tf.getBackend()): boolean {
  return backend === 'wasm' || backend === 'cpu';
}
