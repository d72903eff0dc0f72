/**
 * Typed errors. Every error kiln throws on bad input is a `KilnError` subclass whose
 * message names the argument (or layer, or file) and says what was expected versus found.
 *
 * ```ts
 * try { model.fit(x, y); } catch (e) { if (e instanceof kiln.errors.ShapeError) console.error(e.message); }
 * ```
 */
export class KilnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or array has the wrong shape or rank for where it is used. */
export class ShapeError extends KilnError {}

/** An argument has a value outside what is accepted (bad option, wrong label range, wrong length). */
export class ValueError extends KilnError {}

/** Input data contains NaN or Infinity. */
export class InvalidDataError extends KilnError {}

/** A name (loss, optimizer, activation, metric, initializer, layer class) is not known. */
export class UnknownNameError extends KilnError {}

/** A model was used for training or evaluation before `compile()`. */
export class NotCompiledError extends KilnError {}

/** A dtype is not accepted where it was given. */
export class DTypeError extends KilnError {}

/** Something kiln does not (yet) implement was asked for. */
export class NotImplementedError extends KilnError {}

/**
 * A TensorBoard event file cannot be read or rewritten: not a TFRecord file, a record whose CRC
 * does not match in the middle of the file, or an Event that does not parse. The message names the
 * file and the byte offset of the bad record. (A file cut short at its end, as a crashed writer
 * leaves it, is not an error: the reader reports it in `warnings`.)
 *
 * ```ts
 * try { kiln.readEvents('logs/train'); }
 * catch (e) { if (e instanceof kiln.errors.EventFileError) console.error(e.message); }
 * ```
 */
export class EventFileError extends KilnError {}

/**
 * An image file cannot be read or decoded: missing, unreadable, not a PNG or JPEG, or corrupt. The
 * message names the file and what was wrong; `path` holds the file.
 *
 * ```ts
 * try { kiln.data.loadImage('cat.png'); }
 * catch (e) { if (e instanceof kiln.errors.ImageFileError) console.error(e.path, e.message); }
 * ```
 */
export class ImageFileError extends KilnError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`image '${path}': ${reason}`);
  }
}

/**
 * A dataset cannot be made from what is on disk: the directory is missing or empty, has no class
 * folders, holds no image kiln can decode, or a split leaves a subset with no files.
 */
export class DatasetError extends KilnError {}
