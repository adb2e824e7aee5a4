// The CRC-32 of two byte strings one after the other, from their own CRCs and the second one's length (zlib's
// crc32_combine, which Node does not expose). A page spliced from kept pieces (fragment-cache.ts sendAround) needs
// the CRC of the whole page for its gzip trailer; summing the kept part's bytes again for every answer was 6 % of
// a rendered week's instructions, combining takes a few hundred. Arithmetic on polynomials over GF(2) modulo the
// CRC-32 polynomial, in zlib's reflected bit order (zlib 1.2.12's multmodp and x2nmodp).

const POLY = 0xedb88320;

/** a · b modulo the polynomial. */
function multModP(a: number, b: number): number {
  let m = 1 << 31;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0 … 31. */
const X2N: number[] = [];
{
  let p = 1 << 30; // x^1
  X2N.push(p);
  for (let n = 1; n < 32; n++) X2N.push((p = multModP(p, p)));
}

/** x^(8 · length) modulo the polynomial: what a CRC is multiplied by to move it past `length` bytes. */
export function crc32Shift(length: number): number {
  let p = 1 << 31; // x^0
  let k = 3;
  for (let n = length; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2) p = multModP(X2N[k & 31]!, p);
  }
  return p >>> 0;
}

/** CRC-32 of A followed by B, from crc(A), crc(B) and crc32Shift(B's length). */
export function crc32Combine(crcA: number, crcB: number, shiftB: number): number {
  return (multModP(shiftB, crcA) ^ crcB) >>> 0;
}
