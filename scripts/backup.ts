// Online backup of the database while Raumbuch runs (SQLite's backup API: consistent even during writes):
//   npm run backup -- FILE
// Reads DATABASE_PATH like the server. FILE's folder must exist. The backup is one self-contained file
// (no -wal/-shm beside it), checked after writing.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { backupTo, checkBackupFile } from '../src/ops/backup.js';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file === '-h' || file === '--help') {
    console.error('Usage: npm run backup -- FILE');
    return 2;
  }
  const config = loadConfig();
  if (config.databasePath === ':memory:' || !existsSync(config.databasePath)) {
    console.error(`No database at ${config.databasePath} (set DATABASE_PATH).`);
    return 1;
  }
  const { db, store } = openDatabase(config.databasePath);
  try {
    await backupTo(store, file);
  } finally {
    await db.destroy();
  }
  const info = checkBackupFile(file);
  console.log(`Backup written to ${file} (${info.requests} requests, ${info.bookings} dates).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`Backup failed: ${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
