/**
 * Checkpoints and exact resume: the callbacks that write them (backupAndRestore, modelCheckpoint),
 * the stores they write into (checksummed backup containers, the checkpoint index with retention,
 * lock files, durable writes) and the manager that lists and restores them. It sits above training
 * and io: it drives the fit loop through the TrainingLoop interface callbacks see, and saves models
 * through io, so neither callbacks nor io need to know it exists.
 */
export { BackupAndRestore } from './backup_and_restore.js';
export type { BackupAndRestoreArgs } from './backup_and_restore.js';
export { ModelCheckpoint } from './model_checkpoint.js';
export type { ModelCheckpointArgs } from './model_checkpoint.js';
export { modelCheckpoint, backupAndRestore } from './factories.js';
export { checkpointManager } from './manager_api.js';
export type { CheckpointManagerOptions, CheckpointInfo, RecordOptions, SaveCheckpointOptions, RestoreSelector, RestoreOptions } from './manager_api.js';
export { CheckpointManager } from './manager.js';
export { CheckpointError, CorruptCheckpointError, CheckpointNotFoundError, CheckpointWriteError, CheckpointLockedError } from './errors.js';
