/**
 * TimestampRouter: sets the topic to `topic.format` (default `${topic}-${timestamp}`) with `${topic}` replaced by the
 * topic and `${timestamp}` by the record timestamp in `timestamp.format` (default `yyyyMMdd`, a SimpleDateFormat
 * pattern, in UTC; see simple-date-format.ts for the supported letters). A record without timestamp is
 * TransformDataError.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord } from '../plugins/connect-data.js';
import { compileDateFormat, dateFormatError } from './simple-date-format.js';
import type { DateFormat } from './simple-date-format.js';
import { parseTransformConfig } from './transform-config.js';
import { TransformConfigError, TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

export const TIMESTAMP_ROUTER_CONFIG: ConfigDef = [
  {
    name: 'topic.format', type: 'STRING', default: '${topic}-${timestamp}', importance: 'HIGH',
    documentation: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  },
  {
    name: 'timestamp.format', type: 'STRING', default: 'yyyyMMdd', importance: 'HIGH',
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
    validate: (v) => {
      const error = dateFormatError(v);
      return error === undefined ? undefined : `Invalid value ${v} for configuration timestamp.format: ${error}`;
    },
  },
];

/**
 * The TimestampRouter transformation (see the file comment). apply() throws TransformDataError for a record without
 * timestamp.
 */
export class TimestampRouter implements Transformation {
  /** topic.format split around `${topic}`, each piece split around `${timestamp}`. */
  private pieces: string[][] = [];
  private format: DateFormat | null = null;

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(TIMESTAMP_ROUTER_CONFIG, config);
    this.pieces = c.string('topic.format')!.split('${topic}').map((p) => p.split('${timestamp}'));
    try {
      this.format = compileDateFormat(c.string('timestamp.format')!);
    } catch (e) {
      throw new TransformConfigError('timestamp.format', (e as Error).message);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const timestamp = record.timestamp;
    if (timestamp === null || timestamp === undefined) {
      throw new TransformDataError(`Timestamp missing on record: ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? null}, timestamp=null}`);
    }
    const formatted = this.format!.format(timestamp);
    let topic = '';
    for (let i = 0; i < this.pieces.length; i++) {
      if (i > 0) topic += record.topic;
      topic += this.pieces[i]!.join(formatted);
    }
    return { ...record, topic };
  }
}
