/**
 * The `kiln.callbacks` namespace: the training callbacks (src/callbacks) together with the
 * checkpoint callbacks, which live above training and io in src/checkpoint. Keras users find them
 * all in one place, as in `keras.callbacks`, while the source keeps its one-way layering.
 */
export * from '../callbacks/index.js';
export { BackupAndRestore, ModelCheckpoint, modelCheckpoint, backupAndRestore } from '../checkpoint/index.js';
export type { BackupAndRestoreArgs, ModelCheckpointArgs } from '../checkpoint/index.js';
