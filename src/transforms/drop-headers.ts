/** DropHeaders: removes every header whose name is in `headers` (a non-empty list). Records keep everything else. */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord } from '../plugins/connect-data.js';
import type { Transformation } from '../plugins/transformation.js';
import { parseTransformConfig } from './transform-config.js';

export const DROP_HEADERS_CONFIG: ConfigDef = [
  {
    name: 'headers', type: 'LIST', importance: 'HIGH', documentation: 'The name of the headers to be removed.',
    validate: (v) => (v === '' ? 'Invalid value [] for configuration headers: Empty list' : undefined),
  },
];

/** The DropHeaders transformation (see the file comment). apply() never throws. */
export class DropHeaders implements Transformation {
  private names: ReadonlySet<string> = new Set();

  configure(config: Readonly<Record<string, string>>): void {
    this.names = new Set(parseTransformConfig(DROP_HEADERS_CONFIG, config).list('headers'));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return { ...record, headers: (record.headers ?? []).filter((h) => !this.names.has(h.key)) };
  }
}
