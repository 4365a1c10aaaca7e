/**
 * The standalone FileOffsetStore's two views: what the worker knows (get/list, unflushed sets included) and what
 * offsets.json holds (committed: what a restart resumes from, which Connect's GET /offsets answers).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileOffsetStore } from '../../../../src/runtime/storage/offsets/file-offset-store.js';
import { withTempDir } from '../../log/helpers.js';

test('committed() shows what offsets.json holds: not a set() before its flush, not a flush that failed', async () => {
  await withTempDir(async (dataDir) => {
    let failWrite = false;
    let releaseWrite: (() => void) | undefined;
    const store = new FileOffsetStore(dataDir, {
      beforeWrite: async () => {
        if (failWrite) throw new Error('disk full');
        if (releaseWrite === undefined) return;
        await new Promise<void>((r) => (releaseWrite = r));
      },
    });
    store.set('src', { file: 'a' }, { position: 1 });
    assert.deepEqual(store.committed('src'), [], 'set, not flushed');
    assert.deepEqual(store.list('src'), [{ partition: { file: 'a' }, offset: { position: 1 } }]);
    await store.flush();
    assert.deepEqual(store.committed('src'), [{ partition: { file: 'a' }, offset: { position: 1 } }]);

    // A flush in progress is not committed until its write is done.
    store.set('src', { file: 'a' }, { position: 2 });
    releaseWrite = () => undefined;
    const flushing = store.flush();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(store.committed('src'), [{ partition: { file: 'a' }, offset: { position: 1 } }], 'still writing');
    releaseWrite();
    await flushing;
    releaseWrite = undefined;
    assert.deepEqual(store.committed('src'), [{ partition: { file: 'a' }, offset: { position: 2 } }]);

    store.set('src', { file: 'a' }, { position: 3 });
    failWrite = true;
    await assert.rejects(store.flush(), /disk full/);
    assert.deepEqual(store.committed('src'), [{ partition: { file: 'a' }, offset: { position: 2 } }], 'a failed write commits nothing');
    assert.deepEqual(store.get('src', { file: 'a' }), { position: 3 }, 'the worker still reads its own set()');

    // A new store reads the file: committed and list agree.
    const reopened = new FileOffsetStore(dataDir);
    assert.deepEqual(reopened.committed('src'), [{ partition: { file: 'a' }, offset: { position: 2 } }]);
    assert.deepEqual(reopened.list('src'), reopened.committed('src'));
  });
});
