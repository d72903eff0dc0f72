/**
 * TensorBoard event files: the TFRecord container, the Event protobufs, a writer and a reader.
 * Nothing here touches tensors; callers pass plain numbers (a TensorBoard callback passes
 * `tensor.dataSync()` to addHistogram).
 *
 * ```ts
 * const w = new EventFileWriter('logs/train');
 * w.addScalar('epoch_loss', 0.25, 0);
 * w.close();
 * readEvents('logs').runs.train!.scalars['epoch_loss']; // [{ step: 0, wallTime: …, value: 0.25 }]
 * ```
 */
export { EventFileError } from '../errors.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
export { encodeRecord, decodeRecords } from './record.js';
export type { RawRecord, DecodedRecords } from './record.js';
export type { DecodedEvent } from './event.js';
export { histogramOf, defaultBucketLimits } from './histogram.js';
export type { Histogram } from './histogram.js';
export { EventFileWriter, FILE_VERSION } from './event_writer.js';
export type { EventFileWriterOptions } from './event_writer.js';
export type { GraphSpec } from './summaries.js';
export { readEvents, readEventFile, isEventFileName } from './event_reader.js';
export type { EventFileContents } from './event_reader.js';
export type { EventData, ScalarPoint, HistogramPoint, TensorPoint } from './event_data.js';
export { filterEventFile } from './filter.js';
