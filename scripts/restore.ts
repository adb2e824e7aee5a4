// Restores a backup into DATABASE_PATH. Stop Raumbuch first: the restore is refused while any process has
// the database open.
//   npm run restore -- FILE
// The backup is checked first (integrity, a Raumbuch database, not from a newer version); the current
// database is kept next to it as <DATABASE_PATH>.before-restore-<time>.
import { ConfigError, loadConfig } from '../src/config.js';
import { BackupCheckError, restoreFrom } from '../src/ops/backup.js';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file === '-h' || file === '--help') {
    console.error('Usage: npm run restore -- FILE   (stop Raumbuch first)');
    return 2;
  }
  const config = loadConfig();
  if (config.databasePath === ':memory:') {
    console.error('DATABASE_PATH must be a file.');
    return 2;
  }
  const result = await restoreFrom(file, config.databasePath, new Date());
  if (result.previousCopy) console.log(`The database that was replaced is kept as ${result.previousCopy}`);
  console.log(
    `Restored ${file} into ${config.databasePath} (${result.info.requests} requests, ${result.info.bookings} dates). ` +
      'Start Raumbuch again; migrations of newer versions run on start.',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    const known = e instanceof BackupCheckError || e instanceof ConfigError;
    console.error(`Restore refused: ${known || e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
