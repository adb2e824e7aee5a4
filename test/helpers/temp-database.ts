// A database file in a temp folder, for the cache tests (page cache, kept house week, statistics charts): another
// connection to the same file (as another process would) commits behind the app's back, and the cache must notice.
// Call useTempDatabaseFile() in a describe block: the folder is made on first use and removed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type DB } from '../../src/db/database.js';

export interface TempDatabaseFile {
  /** The database file of the running test (its temp folder is made on first use). */
  path(): string;
  /** Runs `write` on a second connection to the file, as another process would, and closes it afterwards. */
  fromOtherConnection<T>(write: (db: DB) => Promise<T>): Promise<T>;
}

export function useTempDatabaseFile(prefix = 'raumbuch-cache-'): TempDatabaseFile {
  let dir: string | undefined;
  // Registered before the test file's own afterEach, so it runs after it (vitest runs after-hooks as a stack):
  // the app and the connections are closed before their folder goes.
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const path = () => join((dir ??= mkdtempSync(join(tmpdir(), prefix))), 'db.sqlite');
  return {
    path,
    async fromOtherConnection(write) {
      const other = openDatabase(path());
      try {
        return await write(other.db);
      } finally {
        await other.db.destroy();
      }
    },
  };
}
