/** Finding `java` and `mvn` the way a shell would, so that a missing one is reported before anything is spawned. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DevToolsError } from './dev-errors.js';

/** The first executable `name` on PATH (`env.PATH`), or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set (and non-empty), else `java` on PATH. Throws PIPECTL_DEV_JAVA_MISSING. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JAVA_HOME) {
    const java = join(env.JAVA_HOME, 'bin', 'java');
    try {
      accessSync(java, constants.X_OK);
      return java;
    } catch {
      throw new DevToolsError('PIPECTL_DEV_JAVA_MISSING', `JAVA_HOME is ${env.JAVA_HOME}, but it has no bin/java: point it at a Java 17+ installation`);
    }
  }
  const java = findOnPath('java', env);
  if (!java) throw new DevToolsError('PIPECTL_DEV_JAVA_MISSING', 'java not found: install a Java 17+ runtime, or set JAVA_HOME');
  return java;
}

/** `mvn` on PATH, or an explicit path as given. Throws PIPECTL_DEV_MAVEN_MISSING. */
export function findMaven(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const mvn = explicit ?? findOnPath('mvn', env);
  if (mvn) {
    try {
      accessSync(mvn, constants.X_OK);
      return mvn;
    } catch {
      // fall through
    }
  }
  throw new DevToolsError('PIPECTL_DEV_MAVEN_MISSING', `${explicit ?? 'mvn'} not found: install Maven 3.6+ (it downloads the Kafka jars once from Maven Central)`);
}
