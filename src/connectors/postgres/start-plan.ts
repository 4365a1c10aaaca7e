/**
 * What a task does at start, decided from snapshot.mode, the stored offset and the slot (no I/O): whether to snapshot
 * (then the slot is created afresh, exporting the snapshot the stream meets exactly), whether to create the slot, and
 * where streaming resumes.
 */
import type { SlotState } from './database-setup.js';
import type { SnapshotMode } from './postgres-settings.js';
import type { ResumePoint, StoredState } from './source-offset.js';

export type StartPlan =
  /** Drop the slot if it exists, create it exporting a snapshot, read every table, stream from the consistent point. */
  | { kind: 'snapshot'; dropSlot: boolean; why: string }
  /** Stream; create the slot first (without snapshot) when `createSlot`. Null resume: from the slot's position. */
  | { kind: 'stream'; createSlot: boolean; resume: ResumePoint | null; warning: string | null }
  /** initial_only with a completed snapshot: nothing to do. */
  | { kind: 'idle' };

export function planStart(mode: SnapshotMode, stored: StoredState, slot: SlotState | null): StartPlan {
  const dropSlot = slot !== null;
  if (mode === 'always') return { kind: 'snapshot', dropSlot, why: 'snapshot.mode=always' };
  if (mode === 'initial_only') return stored.hasPosition ? { kind: 'idle' } : { kind: 'snapshot', dropSlot: false, why: 'snapshot.mode=initial_only' };
  if (mode !== 'no_data') {
    if (stored.snapshotIncomplete) return { kind: 'snapshot', dropSlot, why: 'the previous snapshot did not complete' };
    if (!stored.hasPosition) return { kind: 'snapshot', dropSlot, why: 'no stored offset' };
    if (mode === 'when_needed') {
      if (slot === null) return { kind: 'snapshot', dropSlot: false, why: 'the slot is gone' };
      if (slot.confirmedFlushLsn !== null && stored.resume !== null && slot.confirmedFlushLsn > stored.resume.commitLsn) {
        return { kind: 'snapshot', dropSlot, why: 'the slot is past the stored position' };
      }
    }
  }
  if (slot === null) {
    const warning = stored.hasPosition ? 'the replication slot is gone: it is created again, and changes made while it was missing are not captured (snapshot.mode=when_needed would snapshot again)' : null;
    return { kind: 'stream', createSlot: true, resume: null, warning };
  }
  return { kind: 'stream', createSlot: false, resume: stored.resume, warning: null };
}
