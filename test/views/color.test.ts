import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shouldUseColor } from '../../src/views/index.js';

test('shouldUseColor: a TTY without NO_COLOR or TERM=dumb; FORCE_COLOR decides when set', () => {
  const cases: [boolean | undefined, Record<string, string | undefined>, boolean][] = [
    [true, {}, true],
    [true, { TERM: 'xterm-256color' }, true],
    [undefined, {}, false],
    [false, { TERM: 'xterm' }, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { NO_COLOR: undefined }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    [false, { FORCE_COLOR: 'true', TERM: 'dumb' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
  ];
  for (const [isTTY, env, expected] of cases) assert.equal(shouldUseColor({ isTTY, env }), expected, `isTTY=${isTTY} ${JSON.stringify(env)}`);
});
