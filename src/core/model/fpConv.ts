import type * as tf from '@tensorflow/tfjs';
import { conv2dFP, type ConvOpts } from '../nn/conv';
import type { Params } from '../nn/params';

/** A full-precision conv with bias ('same' padding, stride 1), as the supernet's head/body/tail. */
/** Gradients a caller knows nobody uses (the search skips them; see Search.skipUnusedGrads). */
export type FpConvOpts = Pick<ConvOpts, 'skipInputGrad' | 'skipFilterGrad'> & {
  /** No gradient will be taken: the bias may be fused into the conv (see conv2dFP). */
  inference?: boolean;
};

export interface FpConv {
  apply(x: tf.Tensor4D, opts?: FpConvOpts): tf.Tensor4D;
  kernel: number;
  cin: number;
  cout: number;
}

/**
 * Same initialisation as the supernet's FP convs (He normal, gain 1, fan-in k²·cin; zero bias),
 * so a searched cell is trained in the same surroundings it was searched in.
 */
export function createFpConv(
  params: Params,
  name: string,
  kernel: number,
  cin: number,
  cout: number,
  gain = 1,
): FpConv {
  const w = params.variable(
    `${name}/w`,
    [kernel, kernel, cin, cout],
    gain === 0 ? { kind: 'zeros' } : { kind: 'heNormal', fanIn: kernel * kernel * cin, gain },
  );
  const b = params.variable(`${name}/b`, [cout], { kind: 'zeros' });
  return {
    apply: (x, opts) => conv2dFP(x, w as unknown as tf.Tensor4D, b as unknown as tf.Tensor1D, opts),
    kernel,
    cin,
    cout,
  };
}
