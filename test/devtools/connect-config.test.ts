import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectWorkerConfig, renderProperties } from '../../src/devtools/connect-config.js';

const base = { bootstrap: '127.0.0.1:9092', port: 18083, dataDir: '/data/w1', defaultGroupId: 'pipectl-connect-0a1b2c3d' };

test('standalone: REST on loopback, JSON converters, fast flushes, service_load discovery, offsets file in the dataDir', () => {
  const c = connectWorkerConfig({ mode: 'standalone', ...base });
  assert.equal(c['listeners'], 'http://127.0.0.1:18083');
  assert.equal(c['rest.advertised.host.name'], '127.0.0.1');
  assert.equal(c['rest.advertised.port'], '18083');
  assert.equal(c['value.converter'], 'org.apache.kafka.connect.json.JsonConverter');
  assert.equal(c['offset.flush.interval.ms'], '1000');
  assert.equal(c['plugin.discovery'], 'service_load');
  assert.equal(c['offset.storage.file.filename'], '/data/w1/connect.offsets');
  assert.equal(c['group.id'], undefined);
});

test('distributed: the internal topics follow group.id, so a second worker given only the group.id joins the same cluster', () => {
  const table: { extra?: Record<string, string>; group: string; offsets: string; protocol?: string }[] = [
    { group: 'pipectl-connect-0a1b2c3d', offsets: 'pipectl-connect-0a1b2c3d-offsets' },
    { extra: { 'group.id': 'shared' }, group: 'shared', offsets: 'shared-offsets' },
    { extra: { 'group.id': 'shared', 'offset.storage.topic': 'mine', 'connect.protocol': 'compatible' }, group: 'shared', offsets: 'mine', protocol: 'compatible' },
  ];
  for (const row of table) {
    const c = connectWorkerConfig({ mode: 'distributed', ...base, ...(row.extra ? { extra: row.extra } : {}) });
    assert.equal(c['group.id'], row.group);
    assert.equal(c['offset.storage.topic'], row.offsets);
    assert.equal(c['config.storage.topic'], `${row.group}-configs`);
    assert.equal(c['status.storage.replication.factor'], '1');
    assert.equal(c['scheduled.rebalance.max.delay.ms'], '1000');
    assert.equal(c['connect.protocol'], row.protocol, 'connect.protocol is left to its default unless given');
    assert.equal(c['offset.storage.file.filename'], undefined);
  }
});

test('renderProperties escapes what java.util.Properties would read differently', () => {
  assert.equal(
    renderProperties({ 'a.b': 'x=y:z', 'odd key=': ' lead', path: 'C:\\tmp\\f', multi: 'l1\nl2' }, 'header'),
    '# header\na.b=x=y:z\nodd\\ key\\==\\ lead\npath=C:\\\\tmp\\\\f\nmulti=l1\\nl2\n',
  );
});
