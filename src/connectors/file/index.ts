/** The FileStream connectors (Kafka Connect's connect-file): plugins, connectors and tasks, and their registration. */
import type { PluginPackage } from '../../plugins/plugin-package.js';
import { FileStreamSink } from './file-stream-sink-connector.js';
import { FileStreamSource } from './file-stream-source-connector.js';

export { FileStreamSink, FileStreamSinkConnector } from './file-stream-sink-connector.js';
export { FileStreamSource, FileStreamSourceConnector } from './file-stream-source-connector.js';
export { FileStreamSinkTask, lineFor } from './file-stream-sink-task.js';
export type { FileStreamSinkTaskOptions } from './file-stream-sink-task.js';
export { FileStreamSourceTask } from './file-stream-source-task.js';
export type { FileStreamSourceTaskOptions } from './file-stream-source-task.js';
export { FILE_STREAM_SINK_CONFIG, FILE_STREAM_SOURCE_CONFIG } from './file-stream-config.js';

/** This package's registration: FileStreamSource and FileStreamSink (src/runtime/bundled-plugins.ts registers it). */
export const fileConnectors: PluginPackage = { name: 'file-connectors', connectors: [FileStreamSource, FileStreamSink] };
