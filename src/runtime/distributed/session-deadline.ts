/**
 * When a group member must consider its assignment lost because the coordinator cannot be reached: once no request of
 * the member has been answered for session.timeout.ms, counted from when the last answered request was SENT. The
 * coordinator restarted the member's session when it received that request, which was after it was sent, so this
 * deadline passes no later than the coordinator's own: the worker stops its work before another member can be given
 * it, and no earlier than needed. (Connect's WorkerCoordinator stops after one heartbeat interval without a known
 * coordinator, which also stops all work on a short blip; with the incremental protocols nobody takes the work over
 * before the session expires anyway.) While a JoinGroup or SyncGroup is pending the deadline is paused: the
 * coordinator keeps a member that waits for either.
 */
/** How often the ticker that notices a frozen process runs. */
const TICK_MS = 500;

export class SessionDeadline {
  private lastAnsweredSentAt = 0;
  private watching = false;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the ticker last ran, and when it found that the process had not run for longer than a session. */
  private lastTickAt = Date.now();
  private doubtSince: number | undefined;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly sessionTimeoutMs: number,
    private readonly onExpired: () => void,
  ) {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /**
   * Whether the member may still act on its assignment, by the clock rather than by the timer: a process that was
   * frozen (SIGSTOP, a long pause) runs its pending I/O callbacks before its timers when it resumes, so work could
   * otherwise write once more before the expiry is noticed. False after a freeze longer than the session (seen as a
   * gap in a ticker) until the coordinator answers a request sent after it — also while a JoinGroup or SyncGroup is
   * pending, when the deadline itself is paused.
   */
  valid(): boolean {
    if (!this.watching) return false;
    const now = Date.now();
    if (now - this.lastTickAt > this.sessionTimeoutMs || this.doubtSince !== undefined) return false;
    return this.paused || now < this.lastAnsweredSentAt + this.sessionTimeoutMs;
  }

  /** Stops the ticker. */
  dispose(): void {
    clearInterval(this.ticker);
    clearTimeout(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    if (now - this.lastTickAt > this.sessionTimeoutMs) this.doubtSince = now;
    this.lastTickAt = now;
  }

  /** A request sent at `sentAt` (Date.now()) was answered by the coordinator. */
  answered(sentAt: number): void {
    this.lastAnsweredSentAt = Math.max(this.lastAnsweredSentAt, sentAt);
    if (this.doubtSince !== undefined && sentAt >= this.doubtSince) this.doubtSince = undefined;
    this.arm();
  }

  /** Whether there is an assignment to lose: the deadline runs only while it is watched. */
  watch(on: boolean): void {
    this.watching = on;
    this.arm();
  }

  /** Paused while a JoinGroup or SyncGroup is pending; on resume, a deadline already passed expires at once. */
  pause(on: boolean): void {
    this.paused = on;
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (!this.watching || this.paused) return;
    const due = this.lastAnsweredSentAt + this.sessionTimeoutMs - Date.now();
    this.timer = setTimeout(() => {
      this.watching = false;
      this.onExpired();
    }, Math.max(0, due));
    this.timer.unref();
  }
}
