import type { Dirent } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { IMAGE_EXTENSIONS } from './image_decode.js';

/** Every image file of a class-per-folder directory, as Keras's index_directory lists them. */
export interface ImageIndex {
  classNames: string[];
  /** File paths, class by class (in `classNames` order), each class's files sorted. */
  files: string[];
  /** The class index of each file. */
  labels: Int32Array;
}

function entries(dir: string, what: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : `cannot be read (${(e as Error).message})`;
    throw new DatasetError(`imageFolder: ${what} '${dir}' ${why}`);
  }
}

/** Follows symbolic links (Keras's follow_links is false by default, but a link to a folder of images is what a user means). */
function isDirectory(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, e.name)).isDirectory();
  } catch {
    return false;
  }
}

/** The files under `dir`, recursively, sorted by name at each level; `others` counts what is not a decodable image, by extension. */
function walk(dir: string, images: string[], others: Map<string, number>, depth = 0): void {
  // A link cycle would recurse for ever; no real image tree is this deep.
  if (depth > 32) throw new DatasetError(`imageFolder: '${dir}' is nested more than 32 folders deep (a symbolic-link loop?)`);
  const list = entries(dir, 'folder').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of list) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (isDirectory(dir, e)) walk(path, images, others, depth + 1);
    else if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) images.push(path);
    else others.set(extname(e.name).toLowerCase() || '(none)', (others.get(extname(e.name).toLowerCase() || '(none)') ?? 0) + 1);
  }
}

/**
 * Lists `dir`: one sub-folder per class (sorted names, or `classNames` in the order given), the
 * image files of each (`.png`, `.jpg`, `.jpeg`, case-insensitive, in nested folders too). Files
 * directly in `dir` are not in any class and are ignored, as in Keras. Hidden files are skipped.
 */
export function indexImageFolder(dir: string, classNames?: readonly string[]): ImageIndex {
  const top = entries(dir, 'directory');
  const folders = top.filter((e) => !e.name.startsWith('.') && isDirectory(dir, e)).map((e) => e.name).sort();
  if (folders.length === 0) {
    throw new DatasetError(
      `imageFolder: '${dir}' has no class folders; put each class's images in its own sub-folder (${top.length === 0 ? 'the directory is empty' : `found ${top.length} file(s) and no folder`})`,
    );
  }
  let names = folders;
  if (classNames) {
    const missing = classNames.filter((c) => !folders.includes(c));
    const extra = folders.filter((f) => !classNames.includes(f));
    if (missing.length || extra.length || new Set(classNames).size !== classNames.length) {
      throw new DatasetError(
        `imageFolder: classNames ${JSON.stringify(classNames)} do not match the sub-folders of '${dir}' (${JSON.stringify(folders)})`,
      );
    }
    names = [...classNames];
  }
  const files: string[] = [];
  const labels: number[] = [];
  const others = new Map<string, number>();
  names.forEach((name, k) => {
    const found: string[] = [];
    walk(join(dir, name), found, others);
    for (const f of found) {
      files.push(f);
      labels.push(k);
    }
  });
  if (files.length === 0) {
    const skipped = [...others.entries()].map(([ext, n]) => `${n} ${ext}`).join(', ');
    throw new DatasetError(
      `imageFolder: no image files in the ${names.length} class folder(s) of '${dir}'` +
        (skipped ? `; found only files kiln cannot decode (${skipped}); supported: ${IMAGE_EXTENSIONS.join(', ')}` : ' (they are empty)'),
    );
  }
  return { classNames: names, files, labels: Int32Array.from(labels) };
}
