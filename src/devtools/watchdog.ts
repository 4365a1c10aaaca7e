/**
 * Ties child processes (and a temporary folder) to this Node process's life, whatever way this process ends
 * (SIGKILL included).
 *
 * A tiny `sh` watchdog, in its own session (so terminal signals do not reach it), reads pids from a pipe whose only
 * writer is this process; the last pid written is the one it guards. The kernel closes that pipe when this process
 * dies, the read loop ends, and the watchdog sends SIGTERM (or `stopSignal`) to the guarded process, SIGKILL after
 * `killAfterMs`, then removes `cleanupDir`. No polling of this process, and no pid check that a zombie or a reused pid could fool.
 * `dispose()` (called once everything ended normally) kills the watchdog without it doing anything.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

const SCRIPT = `
trap '' INT HUP QUIT
pid=
while read -r line; do pid=$line; done
if [ -n "$pid" ] && kill -"$3" "$pid" 2>/dev/null; then
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt "$1" ]; then kill -KILL "$pid" 2>/dev/null; fi
    sleep 0.1
  done
fi
if [ -n "$2" ]; then rm -rf "$2"; fi
`;

export interface Watchdog {
  /** From now on, guard `pid` (replacing the process guarded so far). */
  watch(pid: number): void;
  /** Stops the watchdog without touching anything. Idempotent. */
  dispose(): void;
}

/**
 * Starts a watchdog. It never keeps this process alive (unref'd). `stopSignal` (default SIGTERM) is the first signal
 * sent; PostgreSQL's postmaster wants SIGINT (fast shutdown), as SIGTERM waits for its clients to disconnect.
 */
export function startWatchdog(options: { killAfterMs?: number; cleanupDir?: string; stopSignal?: 'SIGTERM' | 'SIGINT' } = {}): Watchdog {
  const ticks = Math.ceil((options.killAfterMs ?? 10_000) / 100);
  const signal = (options.stopSignal ?? 'SIGTERM').slice(3);
  const watchdog = spawn('/bin/sh', ['-c', SCRIPT, 'pipectl-watchdog', String(ticks), options.cleanupDir ?? '', signal], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {
    // /bin/sh missing or the spawn failed: the caller's exit hook remains the only safeguard.
  });
  // The pipe must stay open for as long as this process lives, without keeping it alive.
  const pipe = watchdog.stdin!;
  (pipe as unknown as Socket).unref();
  pipe.on('error', () => {});
  watchdog.unref();
  let disposed = false;
  return {
    watch: (pid) => {
      if (!disposed) pipe.write(`${pid}\n`);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      watchdog.kill('SIGKILL');
    },
  };
}
