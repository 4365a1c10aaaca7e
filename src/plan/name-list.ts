/**
 * Names in a message, collapsed when there are many: a warning about 400 connectors names the first few and counts
 * the rest, so it stays one readable line (the plan's operations, or `--json`, list them all where they matter).
 */

/** How many names a message lists before it counts the rest. */
export const LISTED_NAMES = 10;

/** `a, b, c` — or, past `max`, `a, b, …, j, and 390 more`. Names are listed in the order given. */
export function listNames(names: readonly string[], max = LISTED_NAMES): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, and ${names.length - max} more`;
}
