// Hostile input for fuzzing: fast-check generators of raw (already percent-encoded) query and form values.
import fc from 'fast-check';

/** Values people and attackers really send. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  "'; DROP TABLE bookings; --",
  '${7*7}',
  '<%= 7*7 %>',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '\u0000',
  '\u202e',
  '😀',
  'ä',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  ' ',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '2027-02-29',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '0000-01-01',
  '9999-12-31',
  '2026-1-1',
  '2026-12-01T10:00',
  '20261201',
  '24:00',
  '23:60',
  '25:00',
  '-01:00',
  '7:00',
  '07:5',
  '07:07',
  '02:30',
  '2026-03',
  '2026-3',
  '2026-13',
  'x'.repeat(70_000),
];

/** Percent sequences that are not valid UTF-8 or not valid at all; sent as they are. */
export const RAW_BAD_ENCODINGS = ['%C3%28', '%E2%82', '%FF', '%', '%Z9', '%C0%AF', '%ED%A0%80', '%00'];

/** One raw query/form value: encoded text, a raw bad encoding, or a mixture. */
export const rawValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PAYLOADS).map(encodeURIComponent), weight: 4 },
  { arbitrary: fc.constantFrom(...RAW_BAD_ENCODINGS), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.string({ minLength: 1_000, maxLength: 3_000 }).map(encodeURIComponent), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(...RAW_BAD_ENCODINGS), fc.string({ maxLength: 5 }).map(encodeURIComponent)).map(([a, b]) => a + b), weight: 1 },
);

/**
 * A raw `name=value` part for one parameter: absent, once, twice (an array in Express), with brackets
 * (an object under the extended parser), or empty.
 */
export function rawParam(name: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: rawValue.map((v) => `${name}=${v}`), weight: 6 },
    { arbitrary: fc.tuple(rawValue, rawValue).map(([a, b]) => `${name}=${a}&${name}=${b}`), weight: 2 },
    { arbitrary: rawValue.map((v) => `${name}[x]=${v}`), weight: 1 },
    { arbitrary: fc.constant(`${name}=`), weight: 1 },
    { arbitrary: fc.constant(''), weight: 1 },
  );
}

/** A raw query string over the given parameter names, each fuzzed independently. */
export function rawQuery(names: string[]): fc.Arbitrary<string> {
  return fc.tuple(...names.map(rawParam)).map((parts) => parts.filter(Boolean).join('&'));
}
