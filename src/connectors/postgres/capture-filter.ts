/**
 * Which schemas, tables and columns are captured: Debezium's include/exclude lists, each a list of regular expressions
 * that must match the whole identifier (`schema`, `schema.table`, `schema.table.column`). Built-in schemas
 * (pg_catalog, information_schema) are never captured.
 */
export interface CaptureLists {
  schemaInclude: string[] | null;
  schemaExclude: string[] | null;
  tableInclude: string[] | null;
  tableExclude: string[] | null;
  columnInclude: string[] | null;
  columnExclude: string[] | null;
}

const BUILTIN_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

function anchored(patterns: string[] | null): RegExp[] | null {
  return patterns === null ? null : patterns.map((p) => new RegExp(`^(?:${p})$`));
}

function passes(id: string, include: RegExp[] | null, exclude: RegExp[] | null): boolean {
  if (include) return include.some((r) => r.test(id));
  if (exclude) return !exclude.some((r) => r.test(id));
  return true;
}

export class CaptureFilter {
  private readonly schemaInclude: RegExp[] | null;
  private readonly schemaExclude: RegExp[] | null;
  private readonly tableInclude: RegExp[] | null;
  private readonly tableExclude: RegExp[] | null;
  private readonly columnInclude: RegExp[] | null;
  private readonly columnExclude: RegExp[] | null;

  /** Throws a SyntaxError for a pattern that does not compile (config validation has checked them). */
  constructor(lists: CaptureLists) {
    this.schemaInclude = anchored(lists.schemaInclude);
    this.schemaExclude = anchored(lists.schemaExclude);
    this.tableInclude = anchored(lists.tableInclude);
    this.tableExclude = anchored(lists.tableExclude);
    this.columnInclude = anchored(lists.columnInclude);
    this.columnExclude = anchored(lists.columnExclude);
  }

  /** Whether changes of `schema.table` are captured. */
  table(schema: string, table: string): boolean {
    if (BUILTIN_SCHEMAS.has(schema)) return false;
    return passes(schema, this.schemaInclude, this.schemaExclude) && passes(`${schema}.${table}`, this.tableInclude, this.tableExclude);
  }

  /** Whether a column of a captured table is written (key columns are kept in the key whatever this says). */
  column(schema: string, table: string, column: string): boolean {
    return passes(`${schema}.${table}.${column}`, this.columnInclude, this.columnExclude);
  }
}
