// Argon2 runs one after the other in a short queue: 20 logins at once never hold 20 × 19 MiB, and each of
// them gets its answer.
import { describe, expect, it } from 'vitest';
import { HASH_CONCURRENCY, hashPassword, hashingPeak, verifyPassword } from '../../src/auth/passwords.js';

describe('the password hashing queue', () => {
  it('runs at most HASH_CONCURRENCY hashes at once and answers every one of 20 parallel checks', async () => {
    const hash = await hashPassword('ein-langes-passwort');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => verifyPassword(hash, i % 2 ? 'ein-langes-passwort' : 'falsch-falsch')));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(results.filter((r) => !r)).toHaveLength(10);
    expect(hashingPeak()).toBe(HASH_CONCURRENCY);
  });
});
