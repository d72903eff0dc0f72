import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createExclusive, durableWrite, listDirectory, makeDirectory, prepareWrite, readBytes, readTextIfExists, removeDirectoryIfEmpty, removeFile, renameFile, sha256File,
} from '../../src/checkpoint/checkpoint_fs.js';
import { CheckpointError, CheckpointWriteError } from '../../src/checkpoint/errors.js';

/*
 * Issue 9, defect 5: every file-system call in the checkpoint code goes through one error mapping.
 * Each call here is made to fail by the operating system itself (a file where a directory must be,
 * a directory where a file must be, a missing directory), and must fail as a typed checkpoint error
 * naming the path and the reason — never as a raw Node error.
 */

function scratch(): { root: string; file: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kiln-cfs-'));
  const file = join(root, 'plain-file');
  writeFileSync(file, 'x');
  return { root, file, done: () => rmSync(root, { recursive: true, force: true }) };
}

function writeError(path: string, reason: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CheckpointWriteError, `expected CheckpointWriteError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.ok(e.message.startsWith(`'${path}': could not `), e.message);
    assert.match(e.message, reason);
    assert.match(e.message, /the previous checkpoint is left intact$/);
    assert.ok((e as { cause?: unknown }).cause instanceof Error, 'the underlying error is kept as the cause');
    return true;
  };
}

function readError(path: string, reason: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CheckpointError && !(e instanceof CheckpointWriteError), `expected a CheckpointError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.ok(e.message.startsWith(`'${path}': could not `), e.message);
    assert.match(e.message, reason);
    return true;
  };
}

test('changes on disk that the OS refuses become CheckpointWriteError naming the path and reason', async () => {
  const { root, file, done } = scratch();
  try {
    const under = join(file, 'sub');
    assert.throws(() => makeDirectory(under, 'backup directory'), writeError(under, /create the backup directory: a part of the path is not a directory \((ENOTDIR|EEXIST)\)/));
    const dir = join(root, 'a-dir');
    mkdirSync(join(dir, 'inside'), { recursive: true });
    assert.throws(() => removeFile(dir, 'old training backup'), writeError(dir, /delete the old training backup: /));
    assert.throws(() => renameFile(join(root, 'missing'), join(root, 'x'), 'lock file'), writeError(join(root, 'missing'), /rename the lock file to .*\(ENOENT\)/));
    assert.throws(() => createExclusive(join(under, 'kiln.lock'), '{}', 'lock file'), writeError(join(under, 'kiln.lock'), /create the lock file: a part of the path is not a directory \(ENOTDIR\)/));
    assert.throws(() => prepareWrite(join(under, 'm.keras'), 'checkpoint'), writeError(join(under, 'm.keras'), /write the checkpoint: a part of the path is not a directory \(ENOTDIR\)/));
    await assert.rejects(durableWrite(join(under, 'b.kbak'), 'training backup', 'data'), writeError(join(under, 'b.kbak'), /write the training backup: /));
    assert.throws(() => removeDirectoryIfEmpty(file, 'backup directory'), writeError(file, /remove the backup directory: .*\(ENOTDIR\)/));
  } finally {
    done();
  }
});

test('reads the OS refuses become CheckpointError naming the path and reason', () => {
  const { root, file, done } = scratch();
  try {
    const missing = join(root, 'nope');
    assert.throws(() => listDirectory(missing, 'backup directory'), readError(missing, /list the backup directory: the directory does not exist \(ENOENT\)/));
    assert.throws(() => listDirectory(file, 'backup directory'), readError(file, /\(ENOTDIR\)/));
    assert.throws(() => readBytes(root, 'training backup'), readError(root, /read the training backup: a directory is in the way \(EISDIR\)/));
    assert.throws(() => sha256File(root), readError(root, /\(EISDIR\)/));
    assert.throws(() => readTextIfExists(root, 'checkpoint index'), readError(root, /\(EISDIR\)/));
  } finally {
    done();
  }
});

test('the calls work when the OS allows them', async () => {
  const { root, done } = scratch();
  try {
    const dir = join(root, 'd', 'e');
    makeDirectory(dir, 'backup directory');
    const lock = join(dir, 'kiln.lock');
    assert.equal(createExclusive(lock, '{"pid":1}', 'lock file'), true);
    assert.equal(createExclusive(lock, '{"pid":2}', 'lock file'), false, 'exclusive: the second creator loses');
    assert.equal(readTextIfExists(lock, 'lock file'), '{"pid":1}');
    assert.equal(readTextIfExists(join(dir, 'none'), 'lock file'), null);
    await durableWrite(join(dir, 'b.kbak'), 'training backup', new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readBytes(join(dir, 'b.kbak'), 'training backup')], [1, 2, 3]);
    assert.deepEqual(listDirectory(dir, 'backup directory').sort(), ['b.kbak', 'kiln.lock']);
    renameFile(lock, join(dir, 'moved'), 'lock file');
    removeFile(join(dir, 'moved'), 'lock file');
    removeFile(join(dir, 'moved'), 'lock file'); // already gone: nothing to do
    assert.equal(removeDirectoryIfEmpty(dir, 'backup directory'), false, 'not empty: kept');
    removeFile(join(dir, 'b.kbak'), 'training backup');
    assert.equal(removeDirectoryIfEmpty(dir, 'backup directory'), true);
    assert.equal(existsSync(dir), false);
    assert.equal(prepareWrite(join(root, 'new', 'm.keras'), 'checkpoint'), undefined);
    assert.equal(existsSync(join(root, 'new')), true, 'prepareWrite made the directory');
    writeFileSync(join(root, 'h'), 'abc');
    assert.equal(sha256File(join(root, 'h')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(readFileSync(join(root, 'h'), 'utf8'), 'abc');
  } finally {
    done();
  }
});
