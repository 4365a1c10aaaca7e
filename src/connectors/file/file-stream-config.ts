/**
 * The config keys of the FileStream connectors, exactly as Kafka Connect declares them (no group, so Connect reports
 * order -1, width NONE and the key as display name). Shared by connectors and tasks, which both check their config.
 */
import type { ConfigDef } from '../../plugins/config-def.js';
import { invalidValue } from '../../plugins/config-validation.js';

export const FILE_STREAM_SOURCE_CONFIG: ConfigDef = [
  { name: 'file', type: 'STRING', default: null, importance: 'HIGH', documentation: 'Source filename. If not specified, the standard input will be used' },
  {
    name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'The topic to publish data to',
    validate: (v) => (v === '' ? invalidValue('topic', v, 'String must be non-empty') : undefined),
  },
  { name: 'batch.size', type: 'INT', default: '2000', importance: 'LOW', documentation: 'The maximum number of records the source task can read from the file each time it is polled' },
];

export const FILE_STREAM_SINK_CONFIG: ConfigDef = [
  { name: 'file', type: 'STRING', default: null, importance: 'HIGH', documentation: 'Destination filename. If not specified, the standard output will be used' },
];
