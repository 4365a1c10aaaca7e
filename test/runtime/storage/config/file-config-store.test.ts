/**
 * The standalone config store's files: any connector name maps to a valid, bounded file name; a failed write rejects
 * with a coded error (no path in its message), leaves the previous record and never becomes an unhandled rejection;
 * records written under the old percent-encoded names are still read and updated in place; a corrupt file is named.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileConfigStore } from '../../../../src/runtime/storage/config/file-config-store.js';
import type { StoredConnector } from '../../../../src/runtime/storage/config/config-store.js';
import { connectorFileName } from '../../../../src/runtime/storage/config/connector-file-name.js';
import { CorruptConnectorFileError, StoreWriteError } from '../../../../src/runtime/storage/config/config-store-error.js';
import { writeTree } from '../../../support/paths.js';

const ODD_NAMES = ['a'.repeat(250), 'b'.repeat(1000), '😀'.repeat(20), '..', '.', 'CON', 'con', 'Foo', 'foo', 'trailing.', 'trailing ', '%2F', '%252F', 'a\\b', 'nul\u0000?', ':*?"<>|', 'ÄÖÜ', 'x'.repeat(48) + 'A', 'x'.repeat(48) + 'a'];

function record(n: number): StoredConnector {
  return { config: { 'connector.class': 'FileStreamSource', n: String(n) }, targetState: 'STARTED', taskConfigs: [{ t: String(n) }] };
}

test('every connector name maps to a bounded, portable file name; names differing only in case get different files', () => {
  const seen = new Set<string>();
  for (const name of ODD_NAMES) {
    const file = connectorFileName(name);
    assert.ok(Buffer.byteLength(file) <= 70, `${file}: ${Buffer.byteLength(file)} bytes`);
    assert.match(file, /^[a-z0-9_-][a-z0-9._-]*~[0-9a-f]{16}\.json$/, JSON.stringify(name));
    assert.ok(!seen.has(file), `two names share ${file}`);
    seen.add(file); // lower-case only: distinct here means distinct on a case-insensitive file system too
  }
});

test('odd and long names are stored and read back by a new store on the same data.dir', async () => {
  const tree = writeTree({});
  try {
    const store = new FileConfigStore(tree.dir);
    for (const [i, name] of ODD_NAMES.entries()) await store.put(name, record(i));
    const reopened = new FileConfigStore(tree.dir);
    assert.deepEqual(reopened.names(), [...ODD_NAMES].sort());
    for (const [i, name] of ODD_NAMES.entries()) assert.deepEqual(reopened.get(name), record(i));
  } finally {
    tree.cleanup();
  }
});

test('a failed write rejects with PIPECTL_WORKER_STORE_WRITE_FAILED, keeps the previous record and crashes nothing', async () => {
  const tree = writeTree({});
  try {
    const store = new FileConfigStore(tree.dir);
    await store.put('kept', record(1));
    const dir = join(tree.dir, 'connectors');
    renameSync(dir, `${dir}.moved`);
    writeFileSync(dir, 'not a folder'); // every write now fails (ENOTDIR), even for root
    for (const [name, write] of [['kept', () => store.put('kept', record(2))], ['new', () => store.put('new', record(3))], ['kept', () => store.remove('kept')], ['l'.repeat(300), () => store.put('l'.repeat(300), record(4))]] as const) {
      const err = await write().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof StoreWriteError, `${name}: ${String(err)}`);
      assert.equal(err.code, 'PIPECTL_WORKER_STORE_WRITE_FAILED');
      assert.match(err.message, /ENOTDIR/);
      assert.ok(!err.message.includes(tree.dir), `no local path in "${err.message}"`);
    }
    assert.deepEqual(store.names(), ['kept']);
    assert.deepEqual(store.get('kept'), record(1));
    rmSync(dir);
    renameSync(`${dir}.moved`, dir);
    await store.put('kept', record(5)); // writes work again once the folder is back
    assert.deepEqual(new FileConfigStore(tree.dir).get('kept'), record(5));
  } finally {
    tree.cleanup();
  }
});

test('a record under the old percent-encoded file name is read, and updated and deleted in place', async () => {
  const tree = writeTree({});
  try {
    const dir = join(tree.dir, 'connectors');
    mkdirSync(dir);
    const old = `${encodeURIComponent('Old one')}.json`;
    writeFileSync(join(dir, old), JSON.stringify({ version: 1, name: 'Old one', ...record(1) }));
    const store = new FileConfigStore(tree.dir);
    assert.deepEqual(store.get('Old one'), record(1));
    await store.put('Old one', record(2));
    assert.deepEqual(readdirSync(dir), [old]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, old), 'utf8')).config, record(2).config);
    await store.remove('Old one');
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    tree.cleanup();
  }
});

test('a corrupt or misshapen connector file stops the store with an error that names the file', () => {
  for (const content of ['{"version":1,"name":"x",', '[]', '{"version":1,"name":"x","config":{"a":1},"targetState":"STARTED","taskConfigs":[]}', '{"version":1,"name":"x","config":{},"targetState":"RUNNING","taskConfigs":[]}']) {
    const tree = writeTree({ 'connectors/x~0000000000000000.json': content });
    try {
      assert.throws(() => new FileConfigStore(tree.dir), (e: unknown) => {
        assert.ok(e instanceof CorruptConnectorFileError, String(e));
        assert.equal(e.code, 'PIPECTL_WORKER_CORRUPT_CONNECTOR_FILE');
        assert.ok(e.message.includes(join(tree.dir, 'connectors', 'x~0000000000000000.json')), e.message);
        return true;
      });
    } finally {
      tree.cleanup();
    }
  }
});
