/**
 * No two folders of src/ import each other, directly or through others: a cycle between folders means neither can be
 * understood, tested or replaced without the other (issue 15 removed plugins⇄connectors, plugins⇄transforms,
 * plugins⇄converters, control⇄standalone, data-plane⇄log and kafka⇄kafka/kafkajs). Module-level cycles and the
 * per-folder layer rules are checked by dependency-cruiser (`npm run lint`); this test needs nothing but the sources,
 * so it also runs in `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SRC = join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Folder → the folders its modules import (relative imports only; type-only imports count too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const importPattern = /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const file of sourceFiles(SRC)) {
    const from = relative(REPO_ROOT, dirname(file));
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const to = relative(REPO_ROOT, dirname(resolve(dirname(file), m[1] ?? m[2] ?? '')));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    lowlink.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        lowlink.set(v, Math.min(lowlink.get(v) ?? 0, lowlink.get(w) ?? 0));
      } else if (onStack.has(w)) {
        lowlink.set(v, Math.min(lowlink.get(v) ?? 0, indices.get(w) ?? 0));
      }
    }
    if (lowlink.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return cycles;
}

test('no folder of src/ imports a folder that imports it back, directly or through others', () => {
  const graph = folderGraph();
  const described = folderCycles(graph).map((cycle) => {
    const edges = cycle.flatMap((a) => [...(graph.get(a) ?? [])].filter((b) => cycle.includes(b)).map((b) => `${a} → ${b}`));
    return `${cycle.join(' ⇄ ')}\n    ${edges.join('\n    ')}`;
  });
  assert.deepEqual(described, [], `folder-level import cycles:\n  ${described.join('\n  ')}`);
});

test('the cycle finder finds a cycle through three folders and none in a chain', () => {
  const ring = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
  assert.deepEqual(folderCycles(ring), [['a', 'b', 'c']]);
  const chain = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set<string>()]]);
  assert.deepEqual(folderCycles(chain), []);
});
