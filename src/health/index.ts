/** The training-health monitor: fit's `monitor` option, and the checks it runs. */
export { TrainingMonitor } from './training_monitor.js';
export type { MonitorOptions, MonitorContext } from './training_monitor.js';
export type { FitDataView, LabelKind } from './data_checks.js';
