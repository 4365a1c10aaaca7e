/**
 * Resolves column type OIDs to what the mapping needs: built-in types by name, arrays through `typelem`, domains
 * through `typbasetype` (with the domain's own typmod), enums with their labels in `enumsortorder`. Built from the
 * rows of one catalog query (TypeCatalog.SQL) that the connector runs and re-runs when a Relation message names an
 * OID it does not know (a type created after start).
 */

/** A type as the mapping sees it; domains are already resolved to their base type. */
export type ResolvedType =
  | { kind: 'base'; oid: number; name: string; namespace: string }
  | { kind: 'enum'; oid: number; name: string; namespace: string; labels: string[] }
  | { kind: 'array'; oid: number; name: string; namespace: string; element: ResolvedType };

export class TypeCatalog {
  /** One query over pg_type/pg_namespace/pg_enum; every column is text (or null) so any client can run it. */
  static readonly SQL: string = '';

  /** Builds a catalog from TypeCatalog.SQL's rows (column name → text). */
  static fromRows(_rows: readonly Record<string, string | null>[]): TypeCatalog {
    return new TypeCatalog();
  }

  /** The type of `oid` and the typmod to use (a domain's own typmod when the column has none); undefined when unknown. */
  resolve(_oid: number, _typeMod: number): { type: ResolvedType; typeMod: number } | undefined {
    return undefined;
  }
}
