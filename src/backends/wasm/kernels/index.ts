// Entry point of the kernel module: everything exported here is a WebAssembly export.
// ../abi.ts is the contract with the TypeScript backend; ../loader.ts instantiates the build.
//
// The module imports its memory (shared, so worker threads run the same kernels on the same
// tensors) and never allocates: every pointer is chosen by the JS allocator, above heapBase().
export { unaryOpCount, binaryOpCount, reduceOpCount } from './codes';
export { unary } from './unary';
export { binary, select } from './binary';
export { reduce, argMax } from './reduce';
export { softmax } from './softmax';
export { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad } from './crossentropy';
export { transpose2d } from './transpose';
export { gatherRows, oneHot } from './rows';
export { adamUpdate, sgdUpdate } from './optimizers';
export { gemm, gemmStrided, gemmScratchBytes } from './gemm';
export { im2col, col2im } from './im2col';
export { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad } from './pool';

/** First byte the JS allocator may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 on the relaxed-SIMD build (FMA in the GEMM micro-kernel), 0 on the plain SIMD128 build. */
export function relaxedSimd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
