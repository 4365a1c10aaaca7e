/**
 * Source offsets (Connect's OffsetBackingStore with the OffsetStorageWriter in front): for each (connector, source
 * partition) the offset after the last record the data plane acknowledged. The one interface; twins:
 * file-offset-store.ts (the standalone worker, `<data.dir>/offsets.json`) and kafka-offset-store.ts (the offsets
 * topic, shared by a cluster and byte-compatible with Java workers). No memory twin: nothing needs one yet.
 */
import type { LogHealth } from '../kafka-topics/internal-log.js';

type Json = Record<string, unknown>;

/**
 * What the worker and the offsets API need from a source-offset store. `set` only records in memory; `flush` makes
 * everything set so far durable. A partition or offset holds JSON values; the Kafka twin also requires primitives and
 * throws StoreError PIPECTL_STORE_INVALID_OFFSET otherwise.
 */
export interface SourceOffsetStore {
  /** The last offset of a partition, or null when none was recorded. */
  get(connector: string, partition: Json): Json | null;
  /** Records an acknowledged offset; a null offset removes the partition. */
  set(connector: string, partition: Json, offset: Json | null): void;
  /** Every partition of a connector with its offset, as this worker sees them now (unflushed ones too). */
  list(connector: string): { partition: Json; offset: Json }[];
  /**
   * Every partition of a connector with its durable offset: what a restart would resume from, as Connect's
   * `GET /connectors/{name}/offsets` answers. Offsets set and not yet flushed are left out (a crash loses them).
   */
  committed(connector: string): { partition: Json; offset: Json }[];
  /** Makes every offset set so far durable; rejects when not all could be written (each twin says what it retries). */
  flush(): Promise<void>;
  /** Optional (a shared store): reads what other writers flushed, so that get/list see it. Absent: nothing to read. */
  refresh?(): Promise<void>;
  /** Optional (a shared store): whether it has been reachable lately. Absent means always. */
  health?(): LogHealth;
}
