// Browser-only: registers the WebGPU and WASM backends next to the WebGL/CPU ones that
// @tensorflow/tfjs brings, and points WASM at the binaries Vite bundles (no CDN at run time).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmKernels } from '../core/kernels/registerWasm';
import { registerBinConvWebgpu } from '../core/kernels/binconvWebgpu';

// Threaded WASM hung setBackend('wasm') on a COOP/COEP page (docs/design.md §4): single thread.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// The packed engine's kernels: XNOR-popcount on WASM, countOneBits on WebGPU.
registerWasmKernels();
registerBinConvWebgpu();
