import { test } from 'node:test';
import assert from 'node:assert/strict';
import { murmur2, partitionForKey } from '../../../src/runtime/log/partitioner.js';

test("murmur2 matches Kafka's Utils.murmur2 (vectors from Kafka's UtilsTest)", () => {
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
    ['', 275646681],
  ];
  for (const [input, expected] of cases) assert.equal(murmur2(Buffer.from(input)), expected, input);
});

test('a key maps to the partition Kafka would pick', () => {
  // toPositive(-790332482) = 1357151166; 1357151166 % 10 = 6.
  assert.equal(partitionForKey(Buffer.from('foobar'), 10), 6);
  assert.equal(partitionForKey(Buffer.from('foobar'), 1), 0);
});
