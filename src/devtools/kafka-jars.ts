/**
 * Kafka's jars, fetched once from Maven Central and cached per version: the broker's with `kafka/pom.xml` in
 * `~/.cache/pipectl/kafka-<version>/libs`, Connect's with `kafka/connect-pom.xml` in
 * `~/.cache/pipectl/kafka-connect-<version>/libs`, and Debezium's PostgreSQL connector (a Connect plugin, for the
 * side-by-side tests and benchmark) with `kafka/debezium-pom.xml` in
 * `~/.cache/pipectl/debezium-<version>/plugins/debezium-connector-postgres` (`$XDG_CACHE_HOME` is honoured). A marker
 * listing every jar and its size is written last, so an interrupted download is detected and redone; a complete cache
 * is used without Maven.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevToolsError } from './dev-errors.js';
import { findMaven } from './executables.js';
import { isProcessAlive } from './processes.js';

/** The Kafka version pipectl develops and tests against (the current 4.x). */
export const KAFKA_VERSION = '4.1.1';

/** The repository's `kafka/` folder: the poms and the config templates. */
export const KAFKA_PROJECT_DIR = fileURLToPath(new URL('../../../kafka/', import.meta.url));

/** The Debezium release the side-by-side comparison runs (issue 16): its PostgreSQL connector on Connect KAFKA_VERSION. */
export const DEBEZIUM_VERSION = '3.6.1.Final';
/** Debezium's JDBC sink: the newest whose dependencies resolve from Maven Central here (3.6.x pulls hibernate-agroal 7.2.6 from Confluent's repository). */
export const DEBEZIUM_JDBC_VERSION = '3.5.0.Final';

/**
 * Which jars: the broker's classpath (`kafka/pom.xml`), the Connect worker's (`kafka/connect-pom.xml`), or Debezium's
 * PostgreSQL connector as a Connect plugin folder (`kafka/debezium-pom.xml`); each cached apart.
 */
export type JarSet = 'broker' | 'connect' | 'debezium' | 'debezium-jdbc';

interface JarSetSpec {
  pom: string;
  cacheName: string;
  label: string;
  /** The pom property the version goes into, and its default. */
  versionProperty: string;
  defaultVersion: string;
  /** Where the jars go, relative to the cache folder. A plugin's is `plugins/<plugin>`: `plugins` is its plugin.path. */
  libsPath: string;
  plugin: boolean;
}

const JAR_SETS: Record<JarSet, JarSetSpec> = {
  broker: { pom: 'pom.xml', cacheName: 'kafka', label: 'Kafka', versionProperty: 'kafka.version', defaultVersion: KAFKA_VERSION, libsPath: 'libs', plugin: false },
  connect: { pom: 'connect-pom.xml', cacheName: 'kafka-connect', label: 'Kafka Connect', versionProperty: 'kafka.version', defaultVersion: KAFKA_VERSION, libsPath: 'libs', plugin: false },
  debezium: {
    pom: 'debezium-pom.xml', cacheName: 'debezium', label: 'Debezium PostgreSQL connector', versionProperty: 'debezium.version',
    defaultVersion: DEBEZIUM_VERSION, libsPath: join('plugins', 'debezium-connector-postgres'), plugin: true,
  },
  'debezium-jdbc': {
    pom: 'debezium-jdbc-pom.xml', cacheName: 'debezium-jdbc', label: 'Debezium JDBC sink connector', versionProperty: 'debezium.version',
    defaultVersion: DEBEZIUM_JDBC_VERSION, libsPath: join('plugins', 'debezium-connector-jdbc'), plugin: true,
  },
};

/** What the jar set is called in messages ("Kafka", "Kafka Connect", "Debezium PostgreSQL connector"). */
export function jarSetLabel(jarSet: JarSet): string {
  return JAR_SETS[jarSet].label;
}

/** The version a jar set is fetched at when none is given: KAFKA_VERSION, or DEBEZIUM_VERSION for 'debezium'. */
export function defaultJarSetVersion(jarSet: JarSet): string {
  return JAR_SETS[jarSet].defaultVersion;
}

const MARKER = 'libs.complete.json';

/** Pinned here and in kafka/pom.xml's pluginManagement (3.8.1 resolves from Maven Central with Maven 3.8). */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export interface KafkaJars {
  version: string;
  cacheDir: string;
  libsDir: string;
  /** A plugin's jar set ('debezium'): the folder to put on the worker's `plugin.path` (libsDir's parent, which holds
   *  nothing but libsDir); null for a classpath. */
  pluginPath: string | null;
  /** Absolute jar paths, sorted by name: the broker's classpath. */
  classpath: string[];
  /** Total size of the jars. */
  bytes: number;
  /** True when Maven ran in this call; false when the cache was complete. */
  downloaded: boolean;
  /** Time spent in this call (the Maven run when downloaded). */
  durationMs: number;
}

export interface EnsureKafkaJarsOptions {
  /** Default 'broker'. */
  jarSet?: JarSet;
  /** Default KAFKA_VERSION (DEBEZIUM_VERSION for 'debezium'); only 4.x lines are known to work with the poms in kafka/. */
  version?: string;
  /** Default defaultKafkaCacheDir(version, process.env, jarSet). */
  cacheDir?: string;
  /** Path of the mvn executable; default `mvn` on PATH. */
  mvn?: string;
  /** Default the jar set's pom in kafka/ (pom.xml, connect-pom.xml or debezium-pom.xml). */
  pom?: string;
  signal?: AbortSignal;
}

/** `$XDG_CACHE_HOME/pipectl/kafka-<version>`, or `~/.cache/pipectl/kafka-<version>` (`kafka-connect-<version>` for
 *  Connect, `debezium-<version>` for Debezium). */
export function defaultKafkaCacheDir(version: string = KAFKA_VERSION, env: NodeJS.ProcessEnv = process.env, jarSet: JarSet = 'broker'): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pipectl', `${JAR_SETS[jarSet].cacheName}-${version}`);
}

export type JarCacheState = 'complete' | 'missing' | 'incomplete';

interface Marker {
  version: string;
  jars: { name: string; bytes: number }[];
}

/** Whether `cacheDir` holds every jar its marker lists, at the listed size (no marker: 'missing' or 'incomplete'). */
export function kafkaJarCacheState(cacheDir: string, version: string = KAFKA_VERSION, jarSet: JarSet = 'broker'): JarCacheState {
  return readCache(cacheDir, version, jarSet) ? 'complete' : existsSync(join(cacheDir, JAR_SETS[jarSet].libsPath)) ? 'incomplete' : 'missing';
}

function readCache(cacheDir: string, version: string, jarSet: JarSet): Omit<KafkaJars, 'downloaded' | 'durationMs'> | null {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(join(cacheDir, MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
  if (marker.version !== version || !Array.isArray(marker.jars) || marker.jars.length === 0) return null;
  const libsDir = join(cacheDir, JAR_SETS[jarSet].libsPath);
  let bytes = 0;
  for (const jar of marker.jars) {
    try {
      if (statSync(join(libsDir, jar.name)).size !== jar.bytes) return null;
    } catch {
      return null;
    }
    bytes += jar.bytes;
  }
  const classpath = marker.jars.map((j) => j.name).sort().map((name) => join(libsDir, name));
  return { version, cacheDir, libsDir, pluginPath: JAR_SETS[jarSet].plugin ? dirname(libsDir) : null, classpath, bytes };
}

/**
 * Returns the cached jars of Kafka `version` (the broker's, or Connect's), running Maven first when the cache is
 * missing or incomplete. Throws DevToolsError: PIPECTL_DEV_MAVEN_MISSING, PIPECTL_DEV_MAVEN_UNREACHABLE,
 * PIPECTL_DEV_MAVEN_FAILED, PIPECTL_DEV_ABORTED.
 */
export async function ensureKafkaJars(options: EnsureKafkaJarsOptions = {}): Promise<KafkaJars> {
  const started = Date.now();
  const jarSet = options.jarSet ?? 'broker';
  const { label, libsPath } = JAR_SETS[jarSet];
  const version = options.version ?? JAR_SETS[jarSet].defaultVersion;
  const cacheDir = options.cacheDir ?? defaultKafkaCacheDir(version, process.env, jarSet);
  const libsDir = join(cacheDir, libsPath);
  const cached = readCache(cacheDir, version, jarSet);
  if (cached) return { ...cached, downloaded: false, durationMs: Date.now() - started };

  const mvn = findMaven(options.mvn);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `libs.tmp-${process.pid}`);
  removeAbandonedDownloads(cacheDir);
  try {
    await runMaven(mvn, options.pom ?? join(KAFKA_PROJECT_DIR, JAR_SETS[jarSet].pom), version, jarSet, tmp, options.signal);
    const jars = readdirSync(tmp).filter((n) => n.endsWith('.jar')).sort();
    if (jars.length === 0) throw new DevToolsError('PIPECTL_DEV_MAVEN_FAILED', `Maven copied no jars for ${label} ${version} into ${tmp}`);
    // Another process may have finished the same download meanwhile: keep its copy.
    const raced = readCache(cacheDir, version, jarSet);
    if (raced) return { ...raced, downloaded: true, durationMs: Date.now() - started };
    const marker: Marker = { version, jars: jars.map((name) => ({ name, bytes: statSync(join(tmp, name)).size })) };
    rmSync(join(cacheDir, MARKER), { force: true });
    rmSync(libsDir, { recursive: true, force: true });
    mkdirSync(dirname(libsDir), { recursive: true });
    renameSync(tmp, libsDir);
    writeFileSync(join(cacheDir, `${MARKER}.tmp`), JSON.stringify(marker, null, 2) + '\n');
    renameSync(join(cacheDir, `${MARKER}.tmp`), join(cacheDir, MARKER));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const done = readCache(cacheDir, version, jarSet);
  if (!done) throw new DevToolsError('PIPECTL_DEV_MAVEN_FAILED', `the ${label} jar cache in ${cacheDir} is incomplete right after the download`);
  return { ...done, downloaded: true, durationMs: Date.now() - started };
}

/** Removes `libs.tmp-<pid>` folders of downloads whose process is gone (killed mid-download), and our own. */
function removeAbandonedDownloads(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    const pid = /^libs\.tmp-(\d+)$/.exec(name)?.[1];
    if (pid && (Number(pid) === process.pid || !isProcessAlive(Number(pid)))) rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
}

function runMaven(mvn: string, pom: string, version: string, jarSet: JarSet, outputDir: string, signal?: AbortSignal): Promise<void> {
  const aborted = `the ${JAR_SETS[jarSet].label} jar download was aborted`;
  // The plugin by its coordinates: with the bare `dependency:` prefix Maven first needs plugin-group metadata.
  const args = ['-q', '-B', '-Dstyle.color=never', '-f', pom, `-D${JAR_SETS[jarSet].versionProperty}=${version}`, `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${outputDir}`];
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(new DevToolsError('PIPECTL_DEV_ABORTED', aborted));
      else if (e.code === 'ENOENT') reject(new DevToolsError('PIPECTL_DEV_MAVEN_MISSING', `${mvn} not found: install Maven 3.6+`));
      else reject(e);
    });
    child.once('close', (code) => {
      if (code === 0) resolve();
      else if (signal?.aborted) reject(new DevToolsError('PIPECTL_DEV_ABORTED', aborted));
      else reject(mavenError(version, output, code, jarSet));
    });
  });
}

/** Maps Maven's output to one line: a network problem, or Maven's first [ERROR] line (its essential part). */
export function mavenError(version: string, output: string, exitCode: number | null, jarSet: JarSet = 'broker'): DevToolsError {
  const { label } = JAR_SETS[jarSet];
  const clean = output.replace(/\u001b\[[0-9;]*m/g, '');
  const firstError = clean.split('\n').find((l) => /^\[ERROR\]\s*\S/.test(l))?.replace(/^\[ERROR\]\s*/, '').replace(/\s*-> \[Help \d+\]\s*$/, '') ?? `mvn exited with ${exitCode}`;
  const essential = /(Could not transfer|Could not find artifact|Non-resolvable).*/.exec(firstError)?.[0] ?? firstError;
  // Long lines keep their start (what failed) and their end (why: "Unknown host …", "Connection refused").
  const detail = essential.length > 240 ? `${essential.slice(0, 120)} … ${essential.slice(-110)}` : essential;
  const network = /UnknownHost|Connection refused|Network is unreachable|No route to host|timed out|Connection reset|Could not transfer|transfer failed|PKIX|offline mode|Temporary failure in name resolution/i;
  if (network.test(clean)) {
    return new DevToolsError('PIPECTL_DEV_MAVEN_UNREACHABLE', `could not download the ${label} ${version} jars: Maven Central (https://repo.maven.apache.org) is not reachable from here (${detail})`);
  }
  return new DevToolsError('PIPECTL_DEV_MAVEN_FAILED', `Maven failed to fetch the ${label} ${version} jars: ${detail}`);
}
