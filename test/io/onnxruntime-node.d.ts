// onnxruntime-node 1.17.0 ships without its dist/index.d.ts; its API is onnxruntime-common's
// (its lib/index.ts is `export * from 'onnxruntime-common'` plus backend registration).
declare module 'onnxruntime-node' {
  export * from 'onnxruntime-common';
}
