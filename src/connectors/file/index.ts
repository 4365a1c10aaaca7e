/** The FileStream connectors (Kafka Connect's connect-file): plugins, connectors and tasks. */
export { FileStreamSink, FileStreamSinkConnector } from './file-stream-sink-connector.js';
export { FileStreamSource, FileStreamSourceConnector } from './file-stream-source-connector.js';
export { FileStreamSinkTask, lineFor } from './file-stream-sink-task.js';
export type { FileStreamSinkTaskOptions } from './file-stream-sink-task.js';
export { FileStreamSourceTask } from './file-stream-source-task.js';
export type { FileStreamSourceTaskOptions } from './file-stream-source-task.js';
export { FILE_STREAM_SINK_CONFIG, FILE_STREAM_SOURCE_CONFIG } from './file-stream-config.js';
