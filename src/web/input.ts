// What every form field must satisfy before any rule looks at it: numbers spelled as digits (checked against
// their bounds whatever their length), ids as ids.
import { z } from 'zod';

/**
 * A whole number typed into a form: ASCII digits only (no sign, exponent, hex, spaces or decimal point),
 * then checked against [min, max] as a number, so 4294967297 or twenty digits fail the bound instead of
 * wrapping or slipping past a length check. `key`: the field's catalog message for every failure.
 */
export function wholeNumber(key: string, min: number, max: number) {
  return z.string({ message: key }).trim().regex(/^\d+$/, { message: key }).transform(Number)
    .pipe(z.number().int({ message: key }).min(min, { message: key }).max(max, { message: key }));
}

/** A positive database id in a form or URL: digits only, at most 15 (a safe integer). */
export function idField(key: string) {
  return z.string({ message: key }).trim().regex(/^\d{1,15}$/, { message: key }).transform(Number)
    .pipe(z.number().int({ message: key }).positive({ message: key }));
}
