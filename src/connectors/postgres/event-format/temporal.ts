/**
 * Postgres's ISO text forms of dates and times (DateStyle=ISO, IntervalStyle=postgres; see SESSION_SETTINGS) → the
 * numbers and strings Debezium writes: days, ms or µs since the epoch or midnight, ISO strings at UTC. Exact integer
 * arithmetic in bigint µs, so no precision is lost to floating point. Years BC are astronomical (1 BC = year 0).
 */
import { EventFormatError } from './event-format-error.js';

const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_SECOND;

/** Debezium's values for timestamp ±infinity (Long.MAX/MIN rounded as its converters write them). */
export const POSITIVE_INFINITY_TIMESTAMP = 9223372036825200000n;
export const NEGATIVE_INFINITY_TIMESTAMP = -9223372036832400000n;

function bad(kind: string, text: string): never {
  throw new EventFormatError(`cannot read ${JSON.stringify(text)} as a Postgres ${kind}`);
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (howard hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day count, as [year, month, day] (civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const DATE = /^(\d{4,})-(\d{2})-(\d{2})/;

function dateDays(text: string): number {
  const m = DATE.exec(text);
  if (!m) bad('date', text);
  let year = Number(m[1]);
  if (text.endsWith(' BC')) year = 1 - year;
  return daysFromCivil(year, Number(m[2]), Number(m[3]));
}

/** `date` → days since the epoch; null for ±infinity (no day number stands for it). */
export function dateToDays(text: string): number | null {
  if (text === 'infinity' || text === '-infinity') return null;
  return dateDays(text);
}

const TIME = /(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;

/** `HH:MM:SS[.ffffff]` at the start of `text` → µs past midnight (24:00:00 is a full day, as Postgres allows). */
function timeMicros(text: string, kind: string): { micros: bigint; rest: string } {
  const m = TIME.exec(text);
  if (!m) bad(kind, text);
  const fraction = BigInt((m[4] ?? '').padEnd(6, '0') || '0');
  const micros = (BigInt(m[1]!) * 3600n + BigInt(m[2]!) * 60n + BigInt(m[3]!)) * US_PER_SECOND + fraction;
  return { micros, rest: text.slice(m.index + m[0].length) };
}

/** `time` → µs past midnight. */
export function timeToMicros(text: string): bigint {
  return timeMicros(text, 'time').micros;
}

/** A `+HH[:MM[:SS]]` / `-HH…` offset → seconds east of UTC. */
function offsetSeconds(text: string, kind: string): number {
  const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(text);
  if (!m) bad(kind, text);
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

/** `timestamp` (no zone, read as UTC) → µs since the epoch; ±infinity → Debezium's stand-ins. */
export function timestampToMicros(text: string): bigint {
  if (text === 'infinity') return POSITIVE_INFINITY_TIMESTAMP;
  if (text === '-infinity') return NEGATIVE_INFINITY_TIMESTAMP;
  const days = dateDays(text);
  const { micros } = timeMicros(text.slice(text.indexOf(' ') + 1), 'timestamp');
  return BigInt(days) * US_PER_DAY + micros;
}

/** `timestamptz` (any offset) → µs since the epoch at UTC; null for ±infinity (written as text by the caller). */
export function timestamptzToMicros(text: string): bigint | null {
  if (text === 'infinity' || text === '-infinity') return null;
  const days = dateDays(text);
  const { micros, rest } = timeMicros(text.slice(text.indexOf(' ') + 1), 'timestamptz');
  return BigInt(days) * US_PER_DAY + micros - BigInt(offsetSeconds(rest, 'timestamptz')) * US_PER_SECOND;
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

/** `.ffffff` cut to `width` digits (0: none), as Debezium pads a fraction to the column's precision. */
function fraction(micros: bigint, width: number): string {
  if (width <= 0) return '';
  return `.${pad(micros % US_PER_SECOND, 6).slice(0, Math.min(width, 6))}`;
}

/** µs of a day → `HH:MM:SS[.f…]`. */
function clock(micros: bigint, width: number): string {
  const seconds = micros / US_PER_SECOND;
  return `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}${fraction(micros, width)}`;
}

/** µs since the epoch → ISO-8601 at UTC, `YYYY-MM-DDTHH:MM:SS[.f…]Z` (io.debezium.time.ZonedTimestamp). */
export function zonedTimestamp(micros: bigint, width: number): string {
  let days = micros / US_PER_DAY;
  let ofDay = micros % US_PER_DAY;
  if (ofDay < 0n) {
    ofDay += US_PER_DAY;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const yearText = year < 0 ? `-${pad(-year, 4)}` : year > 9999 ? `+${year}` : pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${clock(ofDay, width)}Z`;
}

/** `timetz` → the same instant of day at UTC, `HH:MM:SS[.f…]Z` (io.debezium.time.ZonedTime). */
export function zonedTime(text: string, width: number): string {
  const { micros, rest } = timeMicros(text, 'timetz');
  let utc = (micros - BigInt(offsetSeconds(rest, 'timetz')) * US_PER_SECOND) % US_PER_DAY;
  if (utc < 0n) utc += US_PER_DAY;
  return `${clock(utc, width)}Z`;
}

/** Debezium's average month (365.25 / 12 days) in µs, for io.debezium.time.MicroDuration. */
const US_PER_MONTH = (365.25 / 12) * 86_400 * 1_000_000;

/** `interval` (IntervalStyle=postgres: `1 year 2 mons -3 days +04:05:06.789`) → µs, a month as 365.25/12 days. */
export function intervalToMicros(text: string): number {
  let months = 0;
  let days = 0;
  let micros = 0n;
  const units = /(-?\d+) (years?|mons?|days?)/g;
  for (const m of text.matchAll(units)) {
    const n = Number(m[1]);
    if (m[2]!.startsWith('year')) months += n * 12;
    else if (m[2]!.startsWith('mon')) months += n;
    else days += n;
  }
  const time = /([+-])?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text);
  if (time) {
    const value = (BigInt(time[2]!) * 3600n + BigInt(time[3]!) * 60n + BigInt(time[4]!)) * US_PER_SECOND + BigInt((time[5] ?? '').padEnd(6, '0') || '0');
    micros = time[1] === '-' ? -value : value;
  } else if (!units.test(text) && text !== '00:00:00') {
    bad('interval', text);
  }
  return Math.trunc(months * US_PER_MONTH) + days * 86_400_000_000 + Number(micros);
}
