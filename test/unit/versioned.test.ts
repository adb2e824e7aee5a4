// Values kept in memory until the next commit (db/versioned.ts): reused while nothing changed, read again after
// a write through this connection or a commit by another connection (another process) on the same file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { versioned } from '../../src/db/versioned.js';
import { ensureSettings, getHouse } from '../../src/settings/repository.js';

describe('versioned values', () => {
  let dir: string;
  let a: OpenedDatabase;
  let b: OpenedDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'raumbuch-versioned-'));
    a = openDatabase(join(dir, 'h.sqlite'));
    await migrateToLatest(a.db);
    await ensureSettings(a.db, () => new Date());
    b = openDatabase(join(dir, 'h.sqlite'));
  });
  afterEach(async () => {
    await a.db.destroy();
    await b.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads once while nothing is written, and again after a commit by this or another connection', async () => {
    let loads = 0;
    const house = () => versioned(a, 'house', () => (loads++, getHouse(a.db)));
    expect((await house()).name).toBe('Raumbuch');
    await house();
    expect(loads).toBe(1);

    await b.db.updateTable('settings').set({ house_name: 'Haus der Begegnung' }).execute();
    // The next request (each one starts by telling the store) sees the other connection's commit.
    a.store.requestArrived();
    expect((await house()).name).toBe('Haus der Begegnung');
    expect(loads).toBe(2);

    await a.db.updateTable('settings').set({ house_name: 'Nachbarschaftshaus' }).execute();
    expect((await house()).name).toBe('Nachbarschaftshaus');
    expect(loads).toBe(3);
  });

  it("sees another connection's commit from the next request or event-loop turn on, its own writes at once", async () => {
    const first = a.dataVersion();
    await b.db.updateTable('settings').set({ house_name: 'Haus der Begegnung' }).execute();
    // Within one turn of the event loop (a request's work between two waits) the version read is reused …
    expect(a.dataVersion()).toBe(first);
    // … and read again for the next request,
    a.store.requestArrived();
    const second = a.dataVersion();
    expect(second).not.toBe(first);
    // … or in the next turn.
    await b.db.updateTable('settings').set({ house_name: 'Nachbarschaftshaus' }).execute();
    await new Promise((r) => setImmediate(r));
    const third = a.dataVersion();
    expect(third).not.toBe(second);
    // A write through this connection counts at once.
    await a.db.updateTable('settings').set({ house_name: 'Raumbuch' }).execute();
    expect(a.dataVersion()).not.toBe(third);
  });

  it('does not keep a failed load', async () => {
    await expect(versioned(a, 'x', () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await versioned(a, 'x', async () => 42)).toBe(42);
  });
});
