/**
 * What a standalone worker says about its data.dir at start: what the embedded log's recovery did (always logged),
 * and, when a state file or the log is damaged, a refusal that names the file and the way out
 * (`pipectl worker repair <data.dir>`).
 */
import type { OffsetReset, RecoveryReport } from '../log/embedded-log.js';
import { LogError } from '../log/log-error.js';
import type { Logger } from '../logger.js';
import { StateError } from '../storage/files/state-error.js';

/** The command that repairs a data.dir, as a user would paste it. */
export function repairCommand(dataDir: string): string {
  return `pipectl worker repair ${/[\s"'$]/.test(dataDir) ? JSON.stringify(dataDir) : dataDir}`;
}

/** Logs a committed offset or position moved because it was outside its partition's log. */
export function logOffsetReset(logger: Logger, o: OffsetReset): void {
  const fields = { group: o.groupId, topic: o.topic, partition: o.partition, from: o.from, to: o.to, at: o.at };
  if (o.reason === 'past-log-end') {
    logger.warn(
      `committed offset ${o.from} of group "${o.groupId}" on ${o.topic}-${o.partition} is past the log end ${o.to}: the log lost its last ${o.from - o.to} record(s) (power loss or repair); resuming at the log end, so new records are neither skipped nor is the topic replayed`,
      fields,
    );
  } else {
    logger.warn(`position ${o.from} of group "${o.groupId}" on ${o.topic}-${o.partition} is before the log start (retention); reset to ${o.to}`, fields);
  }
}

/** Logs everything the embedded log's recovery did: torn tails cut, damage repaired, committed offsets moved. */
export function logRecovery(logger: Logger, recovery: RecoveryReport): void {
  for (const t of recovery.truncated) {
    logger.warn(`embedded log: cut a torn tail of ${t.bytes} byte(s) at byte ${t.position} of ${t.file} (${t.reason}); nothing intact followed it`, {
      topic: t.topic,
      partition: t.partition,
      file: t.file,
      bytes: t.bytes,
    });
  }
  for (const d of recovery.repaired) {
    logger.warn(`embedded log: repaired ${d.file}: cut at byte ${d.position}, dropped ${d.records} record(s) (offsets ${d.fromOffset}–${d.toOffset - 1}) and ${d.bytes} byte(s)`, {
      topic: d.topic,
      partition: d.partition,
    });
  }
  for (const o of recovery.offsetsReset) logOffsetReset(logger, o);
  logger.info('embedded log opened', {
    topics: recovery.topics,
    partitions: recovery.partitions,
    torn_tails_cut: recovery.truncated.length,
    offsets_reset: recovery.offsetsReset.length,
  });
}

/**
 * Adds the way out to a damage error (the log's PIPECTL_LOG_CORRUPT, a state file's PIPECTL_STATE_DAMAGED); other
 * errors are returned unchanged.
 */
export function withRepairHint(err: unknown, dataDir: string): unknown {
  const hint = ` Way out: back up ${dataDir}, then run \`${repairCommand(dataDir)}\` (it says what it changes and drops; README "Damage in data.dir").`;
  if (err instanceof LogError && err.code === 'PIPECTL_LOG_CORRUPT') return new LogError(err.code, `${err.code}: ${err.message}${hint}`, { cause: err });
  if (err instanceof StateError && err.code === 'PIPECTL_STATE_DAMAGED') return new StateError(err.code, `${err.code}: ${err.message}${hint}`, err.file);
  return err;
}
