import * as tf from '@tensorflow/tfjs';
import { heapOffset, instanceFor, type WasmBackendLike } from './binconv';

/**
 * The SR network's last step at inference as one WASM kernel, 'SrbnasPixelShuffleAdd':
 * pixelShuffle_r(t) + bic (src/core/nn/pixelShuffle.ts's channel order), instead of a 5-D
 * transpose and an add over the HR image (27 + 8 ms at 2048² on the 2-core test machine).
 * Values equal tf.add(pixelShuffle(t, r), bic): a copy and the same f32 add.
 */
export const SHUFFLE_ADD_KERNEL = 'SrbnasPixelShuffleAdd';

function shuffleAddWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { t, bic } = args.inputs as Record<'t' | 'bic', tf.TensorInfo>;
  const r = (args.attrs as { r: number }).r;
  const [n, h, w, cr2] = t.shape;
  const c = cr2 / (r * r);
  const inst = instanceFor(backend);
  const out = backend.makeOutput([n, h * r, w * r, c], 'float32');
  const [tp, bp, op] = [t, bic, out].map((x) => heapOffset(backend, x));
  const size = h * w * cr2 * 4;
  for (let b = 0; b < n; b++)
    inst.exports.pixelShuffleAdd(tp + b * size, bp + b * size, h, w, c, r, op + b * size);
  return out;
}

/** pixelShuffle(t, r) + bic in one kernel (call only where hasShuffleAddKernel()). */
export function runPixelShuffleAdd(t: tf.Tensor4D, bic: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, cr2] = t.shape;
  const c = cr2 / (r * r);
  if (!Number.isInteger(c) || bic.shape.join() !== [n, h * r, w * r, c].join())
    throw new Error(
      `${SHUFFLE_ADD_KERNEL}: bicubic shape ${bic.shape} does not match ${t.shape} at x${r}`,
    );
  return tf.engine().runKernel(SHUFFLE_ADD_KERNEL, { t, bic } as unknown as tf.NamedTensorMap, {
    r,
  }) as tf.Tensor4D;
}

/** Is the fused pixel shuffle + add available on this backend (WASM)? */
export function hasShuffleAddKernel(backend = tf.getBackend()): boolean {
  return tf.getKernel(SHUFFLE_ADD_KERNEL, backend) != null;
}

export const shuffleAddKernelConfig: tf.KernelConfig = {
  kernelName: SHUFFLE_ADD_KERNEL,
  backendName: 'wasm',
  kernelFunc: shuffleAddWasm as unknown as tf.KernelFunc,
};
