/** Command-line options of a bench script (`--name value`), and the pipectl CLI the benches start. */
import { fileURLToPath } from 'node:url';

/** The built CLI (benches run from dist/bench/). */
export const CLI = fileURLToPath(new URL('../../../bin/pipectl.js', import.meta.url));
export { CLI_NODE_FLAGS } from '../../test/support/paths.js';

/** The value after `--<name>` on the command line, or `fallback`. */
export function benchArg(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}
