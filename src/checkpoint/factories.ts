import type { Spelled } from '../utils/options.js';
import type { BackupAndRestoreArgs } from './backup_and_restore.js';
import { BackupAndRestore } from './backup_and_restore.js';
import type { ModelCheckpointArgs } from './model_checkpoint.js';
import { ModelCheckpoint } from './model_checkpoint.js';

/** `kiln.callbacks.modelCheckpoint({ filepath: 'ckpt/model.{epoch:02d}-{val_loss:.4f}.keras', saveBestOnly: true })`; see ModelCheckpoint. */
export function modelCheckpoint(args: Spelled<ModelCheckpointArgs>): ModelCheckpoint {
  return new ModelCheckpoint(args);
}

/** `kiln.callbacks.backupAndRestore({ backupDir: 'runs/backup', saveFreq: 200 })`; see BackupAndRestore. */
export function backupAndRestore(args: Spelled<BackupAndRestoreArgs>): BackupAndRestore {
  return new BackupAndRestore(args);
}
