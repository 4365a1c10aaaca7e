/** The HTTP sink (see README.md) and its registration. */
import type { PluginPackage } from '../../plugins/plugin-package.js';
import { HttpSink } from './http-sink-connector.js';

export { HttpSink, HttpSinkConnector } from './http-sink-connector.js';
export { HttpSinkTask } from './http-sink-task.js';
export type { HttpSinkStats, HttpSinkTaskOptions } from './http-sink-task.js';
export { HTTP_SINK_CONFIG, parseHttpSinkSettings } from './http-sink-config.js';
export type { HttpSinkSettings } from './http-sink-config.js';
export { BatchBuffer, batchBody } from './batch-buffer.js';
export type { Batch } from './batch-buffer.js';
export { backoffDelay, parseRetryAfter, RETRY_AFTER_MAX_MS } from './retry-policy.js';
export { bodyExcerpt, BODY_EXCERPT_BYTES } from './http-request.js';
export { connectValueJson, recordJson } from './record-json.js';
export { HttpSinkError } from './http-sink-error.js';

/** This package's registration: the HTTP sink (src/runtime/bundled-plugins.ts registers it). */
export const httpConnectors: PluginPackage = { name: 'http-connector', connectors: [HttpSink] };
