// Password hashing with Argon2id (memory-hard); the encoded hash carries its own parameters.
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * Each Argon2 run holds 19 MiB while it works. On a small office box 20 people logging in at once must not add
 * that up, so at most HASH_CONCURRENCY runs at a time; the others wait their turn in order (answered late,
 * never dropped). One: on the one-CPU box the house runs on, a second run at once would only halve the speed
 * of both and double the memory (issue 16).
 */
export const HASH_CONCURRENCY = 1;
let running = 0;
let peak = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  peak = Math.max(peak, running);
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** The most Argon2 runs that were ever under way at once (for tests). */
export function hashingPeak(): number {
  return peak;
}

export function hashPassword(password: string): Promise<string> {
  return inTurn(() => argon2.hash(password, OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await inTurn(() => argon2.verify(hash, password));
  } catch {
    return false;
  }
}

/** A readable one-time password (no look-alike characters), 16 characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
