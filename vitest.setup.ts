import v8 from 'node:v8';

// As src/cli/nodeBackend.ts does for the CLI: Node 20 validates relaxed SIMD only behind this
// flag, and the packed kernel's relaxed build should be the one the tests run (binconv.test.ts
// runs the plain build too). Set here rather than in execArgv: Stryker's runner starts worker
// threads, which refuse V8 flags in execArgv.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
