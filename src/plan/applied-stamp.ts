/**
 * The record of the last apply that created or changed a connector, kept in the connector's own config under
 * pipectl's reserved keys (`pipectl.applied.at|by|commit`, beside `pipectl.owner` and `pipectl.applied.hash`): it
 * lives wherever the config lives — our config store or topic, or an Apache Kafka Connect cluster's — so `pipectl
 * status`, the web view and Connect's own REST API all read it, and it needs no store of its own. Like Terraform's
 * state metadata it is written by apply, never planned: the plan stays a pure function of (desired, live) and the
 * diff ignores these keys (normalise.ts), so a stamp never shows as a change.
 */
import type { ConnectorConfig } from '../herder/types.js';
import { APPLIED_AT_KEY, APPLIED_BY_KEY, APPLIED_COMMIT_KEY, APPLIED_HASH_KEY, OWNER_KEY } from './types.js';

export const APPLY_STAMP_KEYS: readonly string[] = [APPLIED_AT_KEY, APPLIED_BY_KEY, APPLIED_COMMIT_KEY];

/** Who applies and from which commit: gathered by the CLI (apply-provenance.ts), stamped by apply. */
export interface ApplyProvenance {
  /** Who ran apply: PIPECTL_APPLIED_BY, a CI's actor, or user@host. */
  by: string;
  /** The Git commit of the pipeline files, with `-dirty` when they differ from it; absent outside a Git checkout. */
  commit?: string;
}

/** The last apply of one connector as its config records it; null fields were not recorded. */
export interface LastApply {
  /** ISO 8601 UTC. */
  at: string | null;
  by: string | null;
  commit: string | null;
  /** The pipectl project that owns the connector. */
  project: string | null;
  /** The fingerprint of the config applied (drift detection). */
  configHash: string | null;
}

/** `config` with the stamp of an apply at `nowMs` (replacing an older stamp; a missing commit removes the old one). */
export function stampConfig(config: ConnectorConfig, provenance: ApplyProvenance, nowMs: number): ConnectorConfig {
  const out: ConnectorConfig = { ...withoutApplyStamp(config), [APPLIED_AT_KEY]: new Date(nowMs).toISOString(), [APPLIED_BY_KEY]: provenance.by };
  if (provenance.commit) out[APPLIED_COMMIT_KEY] = provenance.commit;
  return out;
}

export function withoutApplyStamp<T extends Readonly<Record<string, string>>>(config: T): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (!APPLY_STAMP_KEYS.includes(k)) out[k] = v;
  return out;
}

/** What a live config says about its last apply; null when pipectl never applied it (no reserved key at all). */
export function lastApplyOf(config: Readonly<Record<string, string>>): LastApply | null {
  const get = (k: string): string | null => config[k] ?? null;
  const last: LastApply = { at: get(APPLIED_AT_KEY), by: get(APPLIED_BY_KEY), commit: get(APPLIED_COMMIT_KEY), project: get(OWNER_KEY), configHash: get(APPLIED_HASH_KEY) };
  return Object.values(last).every((v) => v === null) ? null : last;
}
