/**
 * Filter: drops every record. Meant to be used with a predicate (`transforms.f.predicate=p`, optionally
 * `transforms.f.negate=true`) so that only the records the predicate selects are dropped.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord } from '../plugins/connect-data.js';
import type { Transformation } from '../plugins/transformation.js';

export const FILTER_CONFIG: ConfigDef = [];

/** The Filter transformation (see the file comment). apply() always returns null. */
export class Filter implements Transformation {
  configure(): void {}

  apply<R extends ConnectRecord>(_record: R): R | null {
    return null;
  }
}
