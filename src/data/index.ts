/**
 * Data sources for fit/evaluate/predict: the Dataset contract (batches by position, for streaming
 * and exact resume), image loading and class-per-folder image datasets.
 */
export { Dataset, isDataset, passOrder } from './dataset.js';
export type { BatchTensors, DatasetBatch } from './dataset.js';
export { loadImage } from './load_image.js';
export type { LoadImageArgs, LoadImageOptions } from './load_image.js';
export { imageFolder, ImageFolderDataset } from './image_folder.js';
export type { ImageFolderArgs, ImageFolderOptions, LabelMode, Subset } from './image_folder.js';
export type { ColorMode, Interpolation } from './image_ops.js';
export { IMAGE_EXTENSIONS } from './image_decode.js';
