import * as tf from '@tensorflow/tfjs';
import { binConvTables, hasBinConvKernel, runBinConv, type BinConvAttrs } from '../kernels/binconv';
import { binaryOpReference } from './binaryFold';
import type { BinaryOp, BinaryOpSpec, OpContext } from './binaryOp';
import type { Params } from './params';

/**
 * The binary op of a packed model (docs/model-format.md §4): signs B (`wsign`, ±1 in the filter
 * layout), τ and the folded scale c, no latent weights. Inference only. On a backend with the
 * packed kernel (WASM: XNOR + popcount; WebGPU: countOneBits) it runs that; elsewhere the tfjs
 * reference (binaryOpReference), which gives the same numbers.
 */
export function createPackedBinaryOp(
  params: Params,
  name: string,
  channels: number,
  spec: BinaryOpSpec,
): BinaryOp {
  const { kernel: k, dilation, groups } = spec;
  if (channels % groups !== 0)
    throw new Error(`${name}: ${channels} channels not divisible by ${groups} groups`);
  const cg = channels / groups;
  const wsign = params.variable(`${name}/wsign`, [k, k, cg, channels], { kind: 'ones' });
  const tau = params.variable(`${name}/tau`, [channels], { kind: 'zeros' });
  const scale = params.variable(`${name}/scale`, [channels], { kind: 'zeros' });
  // Kernel tables (small: ≤ 10 KB), rebuilt when wsign is reassigned (a new dataId). Kept in JS
  // and uploaded per call, so the op holds no tensor of its own and reads wsign back only once.
  let cache: { source: object; tables: Int32Array; attrs: BinConvAttrs } | null = null;
  const tablesFor = () => {
    if (cache?.source !== wsign.dataId) {
      const t = binConvTables(wsign.dataSync(), k, cg, channels);
      cache = { source: wsign.dataId, tables: t.tables, attrs: { ...t.attrs, dilation, groups } };
    }
    return cache;
  };
  return {
    apply(x: tf.Tensor4D, ctx: OpContext, add?: tf.Tensor4D): tf.Tensor4D {
      if (!ctx.inference)
        throw new Error(
          `${name}: a packed model has no latent weights and cannot be trained (train the float model)`,
        );
      if (x.shape[3] !== channels)
        throw new Error(`${name}: expected ${channels} channels, got ${x.shape[3]}`);
      if (!hasBinConvKernel())
        return tf.tidy(() => {
          const y = binaryOpReference(x, tau, wsign as unknown as tf.Tensor4D, scale, {
            groups,
            dilation,
          });
          return add ? (tf.add(add, y) as tf.Tensor4D) : y;
        });
      const { tables, attrs } = tablesFor();
      return tf.tidy(() => runBinConv(x, tau, scale, tf.tensor1d(tables, 'int32'), attrs, add));
    },
    params: wsign.size + tau.size + scale.size,
    binaryParams: wsign.size,
  };
}
