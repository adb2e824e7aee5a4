// The static list of migrations (runs the same under tsx, vitest and a build). Append only.
import type { Migration } from 'kysely';
import * as m001 from './2026_11_23_001_initial.js';
import * as m003 from './2026_11_23_003_auth.js';
import * as m004input from './2026_12_01_004_input.js';

export const migrations: Record<string, Migration> = {
  '2026_11_23_001_initial': m001,
  '2026_11_23_003_auth': m003,
  '2026_12_01_004_input': m004input,
};
