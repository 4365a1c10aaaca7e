/**
 * What the mapping needs from pg_type: for each type its name, category, element type (arrays), base type and typmod
 * (domains) and labels (enums). Read once per connection by one query, whose results are text.
 */

export interface PgType {
  oid: number;
  name: string;
  /** pg_type.typtype: b base, d domain, e enum, c composite, r range, p pseudo, m multirange. */
  kind: string;
  /** Array types: the element's oid (0 otherwise). */
  elementOid: number;
  /** Domains: the base type's oid and the domain's typmod. */
  baseOid: number;
  baseTypeMod: number;
  /** Enums: the labels in enumsortorder. */
  labels: string[];
}

export class TypeCatalog {
  /** Every type but composite row types of tables (too many, never a column type here), with enum labels. */
  static readonly SQL = `SELECT t.oid::text AS oid, t.typname::text AS name, t.typtype::text AS kind, t.typelem::text AS element,
  t.typbasetype::text AS base, t.typtypmod::text AS basemod,
  (SELECT string_agg(e.enumlabel::text, E'\\n' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
FROM pg_type t WHERE t.typtype <> 'c'`;

  private constructor(private readonly byOid: ReadonlyMap<number, PgType>) {}

  static fromRows(rows: readonly Record<string, unknown>[]): TypeCatalog {
    const byOid = new Map<number, PgType>();
    for (const r of rows) {
      const text = (k: string): string => (r[k] === null || r[k] === undefined ? '' : String(r[k]));
      const oid = Number(text('oid'));
      const labels = text('labels');
      byOid.set(oid, {
        oid,
        name: text('name'),
        kind: text('kind'),
        elementOid: Number(text('element') || 0),
        baseOid: Number(text('base') || 0),
        baseTypeMod: Number(text('basemod') || -1),
        labels: labels === '' ? [] : labels.split('\n'),
      });
    }
    return new TypeCatalog(byOid);
  }

  /** The builtin types only (for tests and as a fallback): enough for every type this module maps by oid. */
  static builtin(): TypeCatalog {
    return new TypeCatalog(new Map());
  }

  get(oid: number): PgType | undefined {
    return this.byOid.get(oid);
  }

  /** Whether the catalog knows `oid` (a type created after it was read does not: read it again). */
  has(oid: number): boolean {
    return this.byOid.has(oid);
  }
}
