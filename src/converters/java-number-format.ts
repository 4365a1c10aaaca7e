/**
 * Java's text forms of floating-point numbers, as Jackson writes them in Connect's JSON: `Double.toString` and
 * `Float.toString` (JDK 19+ rules: the shortest digits that read back to the same value, at least one fraction digit;
 * plain notation for 10^-3 <= |x| < 10^7, otherwise `d.dddE<exp>`). JSON.stringify would write `1` for 1.0 and
 * `1e-7` for 1.0E-7.
 */

/** Double.toString(x): `1.0`, `12.34`, `1.0E7`, `4.9E-324`, `NaN`, `-Infinity`. */
export function javaDoubleString(x: number): string {
  const abs = Math.abs(x);
  if (abs < 1e7 && Number.isInteger(x)) return Object.is(x, -0) ? '-0.0' : `${x}.0`;
  if (!Number.isFinite(x)) return String(x);
  if (abs >= 1e-3 && abs < 1e7) return String(x); // JS uses plain notation here, with the same shortest digits
  return javaScientific(shortestExponential(x, (s) => Number(s) === x));
}

/** Float.toString(Math.fround(x)): the shortest digits that identify the float32, e.g. 0.1 rather than 0.10000000149. */
export function javaFloatString(x: number): string {
  const f = Math.fround(x);
  const abs = Math.abs(f);
  if (abs < 1e7 && Number.isInteger(f)) return Object.is(f, -0) ? '-0.0' : `${f}.0`;
  if (!Number.isFinite(f)) return String(f);
  let exp = '';
  for (let digits = 1; digits <= 9; digits++) {
    exp = f.toExponential(digits - 1);
    if (Math.fround(Number(exp)) === f) break;
  }
  if (!exp.includes('.')) {
    const two = f.toExponential(1);
    if (Math.fround(Number(two)) === f) exp = two;
  }
  return abs >= 1e-3 && abs < 1e7 ? plainFromExponential(exp) : javaScientific(exp);
}

/** x.toExponential() (shortest digits); when that has one digit, the closest two-digit form if it reads back too. */
function shortestExponential(x: number, readsBack: (s: string) => boolean): string {
  const exp = x.toExponential();
  if (exp.includes('.')) return exp;
  const two = x.toExponential(1);
  return readsBack(two) ? two : exp;
}

/** `-1.5e+10` → `-1.5E10`; `1e-5` → `1.0E-5`. */
function javaScientific(exp: string): string {
  const e = exp.indexOf('e');
  let mantissa = exp.slice(0, e);
  if (!mantissa.includes('.')) mantissa += '.0';
  return `${mantissa}E${Number(exp.slice(e + 1))}`;
}

/** `1.25e+2` → `125.0`; `1.5e-3` → `0.0015`. */
function plainFromExponential(exp: string): string {
  const e = exp.indexOf('e');
  const negative = exp.startsWith('-');
  const digits = exp.slice(negative ? 1 : 0, e).replace('.', '').replace(/(?<=.)0+$/, '');
  const power = Number(exp.slice(e + 1));
  let text: string;
  if (power >= 0) {
    const whole = digits.slice(0, power + 1).padEnd(power + 1, '0');
    text = `${whole}.${digits.slice(power + 1) || '0'}`;
  } else {
    text = `0.${'0'.repeat(-power - 1)}${digits}`;
  }
  return negative ? `-${text}` : text;
}
