/**
 * ReplaceField (`$Key` / `$Value`): keeps or drops fields (`include`, `exclude`, exclude wins) and renames them
 * (`renames=a:b,c:d`), on maps and on structs and their schema. The deprecated names `whitelist` / `blacklist`
 * (removed in Kafka 4.0) are still read when `include` / `exclude` are not set. Tombstones pass through unchanged.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { parseList } from '../plugins/config-validation.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { requireMap, requireStruct } from './requirements.js';
import { asField, copySchemaBasics, SchemaUpdateCache, structFields } from './struct-schema.js';
import { javaList, javaSplit, parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

/** Parses `renames` items; returns old → new names or the ConfigException message Connect gives. */
function parseRenames(items: readonly string[]): Map<string, string> | string {
  const renames = new Map<string, string>();
  for (const item of items) {
    const parts = javaSplit(item, ':');
    if (parts.length !== 2) return `Invalid value ${javaList(items)} for configuration renames: Invalid rename mapping: ${item}`;
    renames.set(parts[0]!, parts[1]!);
  }
  return renames;
}

export const REPLACE_FIELD_CONFIG: ConfigDef = [
  { name: 'exclude', type: 'LIST', default: '', importance: 'MEDIUM', documentation: 'Fields to exclude. This takes precedence over the fields to include.' },
  { name: 'blacklist', type: 'LIST', default: null, importance: 'LOW', documentation: 'Deprecated. Use exclude instead.' },
  { name: 'include', type: 'LIST', default: '', importance: 'MEDIUM', documentation: 'Fields to include. If specified, only these fields will be used.' },
  { name: 'whitelist', type: 'LIST', default: null, importance: 'LOW', documentation: 'Deprecated. Use include instead.' },
  {
    name: 'renames', type: 'LIST', default: '', importance: 'MEDIUM', documentation: 'Field rename mappings.',
    validate: (v) => {
      const parsed = parseRenames(parseList(v));
      return typeof parsed === 'string' ? parsed : undefined;
    },
  },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'field replacement';

/**
 * The ReplaceField transformation (see the file comment). apply() throws TransformDataError for a non-map/struct
 * value.
 */
export class ReplaceField implements Transformation {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  /** Throws TransformConfigError (key `renames`) for a mapping that is not `old:new`. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(REPLACE_FIELD_CONFIG, config);
    const pick = (name: string, deprecated: string): string[] => (Object.hasOwn(config, name) || !Object.hasOwn(config, deprecated) ? c.list(name) : c.list(deprecated));
    this.exclude = new Set(pick('exclude', 'blacklist'));
    this.include = new Set(pick('include', 'whitelist'));
    const renames = parseRenames(c.list('renames'));
    if (typeof renames === 'string') throw new TransformConfigError('renames', renames);
    this.renames = renames;
    this.reverseRenames = new Map([...renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    if (!schema) {
      const map = requireMap(value, PURPOSE);
      const updated: Record<string, unknown> = {};
      for (const name of Object.keys(map)) if (this.keeps(name)) updated[this.renamed(name)] = map[name];
      return withSide(record, this.side, schema, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.get(schema, (s) => this.updatedSchema(s));
    const updated: Record<string, unknown> = {};
    for (const field of structFields(updatedSchema)) {
      const v = struct[this.reverseRenames.get(field.field) ?? field.field];
      updated[field.field] = v === null || v === undefined ? (this.replaceNullWithDefault && field.default !== undefined ? field.default : null) : v;
    }
    return withSide(record, this.side, updatedSchema, updated);
  }

  private keeps(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  private updatedSchema(schema: Schema): Schema {
    const out = copySchemaBasics(schema, 'struct');
    out.fields = structFields(schema).filter((f) => this.keeps(f.field)).map((f) => asField(this.renamed(f.field), f));
    return out;
  }
}
