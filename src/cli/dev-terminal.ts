/** What the `pipectl dev …` commands print in common: the one-time jar download notice and DevToolsError lines. */
import type { DevToolsError } from '../devtools/dev-errors.js';
import type { JarSet } from '../devtools/kafka-jars.js';

/** Runs Maven when the jar cache is incomplete, saying so (it takes seconds and downloads ~45 MB, ~37 MB for Connect, ~7 MB for Debezium, once). */
export async function fetchJars(signal: AbortSignal, jarSet: JarSet = 'broker'): Promise<void> {
  const { defaultJarSetVersion, defaultKafkaCacheDir, ensureKafkaJars, jarSetLabel, kafkaJarCacheState } = await import('../devtools/kafka-jars.js');
  const { findJava, findMaven } = await import('../devtools/executables.js');
  findJava(); // no java: say so before a download that would be of no use
  const version = defaultJarSetVersion(jarSet);
  const cacheDir = defaultKafkaCacheDir(version, process.env, jarSet);
  if (kafkaJarCacheState(cacheDir, version, jarSet) === 'complete') return;
  findMaven();
  process.stderr.write(`Downloading the ${jarSetLabel(jarSet)} jars with Maven into ${cacheDir} (once)...\n`);
  const jars = await ensureKafkaJars({ jarSet, cacheDir, signal });
  process.stderr.write(`Downloaded ${jars.classpath.length} jars (${(jars.bytes / 1e6).toFixed(1)} MB) in ${(jars.durationMs / 1000).toFixed(1)} s\n`);
}

/** Prints `Error: <message>`; returns the exit code 1. */
export function fail(message: string): number {
  process.stderr.write(`Error: ${message}\n`);
  return 1;
}

/** DevToolsError: its first line with the code, then any detail (a broker log tail). Anything else is rethrown. */
export function failWith(e: unknown): number {
  if (!(e instanceof Error) || e.name !== 'DevToolsError') throw e;
  const [first, ...rest] = e.message.split('\n');
  process.stderr.write(`Error: ${first} [${(e as DevToolsError).code}]\n${rest.map((l) => `${l}\n`).join('')}`);
  return 1;
}
