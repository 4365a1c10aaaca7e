/**
 * What `npm pack` ships (item 9 of issue 13): the Apache-2.0 LICENSE that package.json declares, and no source maps
 * (dist/**\/*.js.map point at TypeScript sources the package does not contain), and the web view's files (ui/).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/paths.js';

test('npm pack ships LICENSE (Apache-2.0, as package.json says) and no .map files', () => {
  // --ignore-scripts: no `prepare` build here; the files list is what is checked.
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  assert.ok(files.includes('LICENSE'), 'LICENSE is in the package');
  assert.ok(files.includes('bin/pipectl.js') && files.includes('dist/src/cli/main.js'), 'the CLI is in the package');
  // The web view's static files, read at runtime from ui/ beside dist/ (src/runtime/ui/ui-assets.ts).
  for (const f of ['ui/index.html', 'ui/web-view.js', 'ui/web-view.css']) assert.ok(files.includes(f), `${f} is in the package`);
  assert.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'no source maps without their sources');
  assert.deepEqual(files.filter((f) => f.startsWith('dist/test') || f.startsWith('dist/bench')), [], 'no tests or benchmarks');
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string };
  assert.equal(pkg.license, 'Apache-2.0');
  const license = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
});
