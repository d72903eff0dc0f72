/**
 * kiln's architecture, as the dependency check enforces it (`npm test` runs it first; run it
 * alone with `npm run check:deps`).
 *
 * The source folders form layers. A folder may import its own files and any folder in a LOWER
 * layer, never one in a higher layer or a sibling in the same layer. Because every import between
 * folders points down, no two folders can depend on each other: there is no folder-level cycle.
 *
 * Why this order (lowest first):
 * - errors (the typed errors), then utils: plain helpers every part may use.
 * - serialization: the class registry and Keras config shapes (no tensors).
 *   tfevents beside it: the TensorBoard event-file format (TFRecord, CRC-32C, Event protobufs, writer
 *   and reader); plain numbers and files, no tensors, so callbacks and the CLI can both use it.
 * - core: tensors, primitives, autodiff, RNG, the backend interface and registry.
 * - backends: the reference and WebAssembly implementations of core's backend interface.
 * - ops: composites built only from primitives.
 * - activations, initializers, regularizers: functions of tensors that layers are configured with.
 * - layers; then losses, metrics, optimizers (training pieces, independent of each other).
 * - callbacks: the hooks, History and the progress bar; they see the fit loop only through the
 *   small TrainingLoop / CallbackModel interfaces, never the Model class.
 * - health: the training-health monitor, a callback fed by the step records training hands it.
 * - data: Datasets (batches by position, for streaming and exact resume), image decoding and image
 *   folders; tensors, ops and files only. Training takes a Dataset in place of arrays; it sits just
 *   below training so later preprocessing code here may build on layers.
 * - training: compile, the fit/evaluate/predict loops.
 * - models: Sequential and Model (they call training); io provides model.save through an interface.
 * - io: the model file formats (they build models from configs).
 * - checkpoint: backups, checkpoints, exact resume (uses callbacks, training and io).
 * - report: the HTML report of a run; it reads History and run records (callbacks), evaluates with
 *   metrics and writes through io's atomic write, and nothing below needs it (the CLI will call it).
 * - api, then index.ts: the public surface; api assembles namespaces that span layers.
 */
const LAYERS = [
  ['errors.ts', 'types'],
  ['utils'],
  ['serialization', 'tfevents'],
  ['core'],
  ['backends'],
  ['ops'],
  ['activations', 'initializers', 'regularizers'],
  ['layers'],
  ['losses', 'metrics', 'optimizers'],
  ['callbacks'],
  ['health'],
  ['data'],
  ['training'],
  ['models'],
  ['io'],
  ['checkpoint'],
  ['report'],
  ['api'],
  ['index.ts'],
];

const pathOf = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);
const anyOf = (names) => `(${names.map(pathOf).join('|')})`;

const forbidden = [];
LAYERS.forEach((layer, rank) => {
  const above = LAYERS.slice(rank + 1).flat();
  for (const folder of layer) {
    const siblings = layer.filter((f) => f !== folder);
    const banned = [...above, ...siblings];
    if (banned.length === 0) continue;
    forbidden.push({
      name: `${folder}-imports-only-lower-layers`,
      comment: `src/${folder} sits in layer ${rank}; it may import only layers 0..${rank - 1} (see the list in .dependency-cruiser.cjs).`,
      severity: 'error',
      from: { path: pathOf(folder) },
      to: { path: anyOf(banned) },
    });
  }
});

forbidden.push(
  {
    name: 'every-source-folder-has-a-layer',
    comment: 'A new folder under src/ must be placed in LAYERS in .dependency-cruiser.cjs.',
    severity: 'error',
    from: { path: '^src/', pathNot: anyOf(LAYERS.flat()) },
    to: {},
  },
  {
    // The same rule seen from the importer's side: a module in an unplaced folder that imports
    // nothing is still caught as soon as anything imports it.
    name: 'nothing-imports-an-unplaced-folder',
    comment: 'A new folder under src/ must be placed in LAYERS in .dependency-cruiser.cjs before other code imports it.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^src/', pathNot: anyOf(LAYERS.flat()) },
  },
  {
    name: 'checkpoint-fs-calls-go-through-checkpoint_fs',
    comment: 'Checkpoint code reaches the file system only through src/checkpoint/checkpoint_fs.ts, which maps every failure to a CheckpointWriteError/CheckpointError.',
    severity: 'error',
    from: { path: '^src/checkpoint/', pathNot: '^src/checkpoint/checkpoint_fs\\.ts$' },
    to: { dependencyTypes: ['core'], path: '^(node:)?fs(/promises)?$' },
  },
  {
    name: 'src-never-imports-tests-or-tools',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^(test|bench|examples|scripts)/' },
  },
  {
    name: 'no-unresolvable-imports',
    severity: 'error',
    from: { path: '^src/' },
    to: { couldNotResolve: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: an upward `import type` is still an upward dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.d.ts'], exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
