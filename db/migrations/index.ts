// The static list of migrations (runs the same under tsx, vitest and a build). Append only.
import type { Migration } from 'kysely';
import * as m1123_001 from './2026_11_23_001_initial.js';
import * as m1123_003 from './2026_11_23_003_auth.js';
import * as m1201_001 from './2026_12_01_001_room_spaces.js';
import * as m1201_002 from './2026_12_01_002_limits.js';
import * as m1201_003 from './2026_12_01_003_mail_secrets.js';
import * as m1201_004 from './2026_12_01_004_input.js';
import * as m1201_005 from './2026_12_01_005_staff.js';
import * as m1201_006 from './2026_12_01_006_languages.js';
import * as m1201_007 from './2026_12_01_007_rhythms.js';
import * as m1201_008 from './2026_12_01_008_media.js';
import * as m1201_009 from './2026_12_01_009_reminders.js';
import * as m1201_010 from './2026_12_01_010_attendance.js';
import * as m1201_011 from './2026_12_01_011_house_texts.js';
import * as m1201_012 from './2026_12_01_012_desk_notes.js';
import * as m1201_013 from './2026_12_01_013_regular_groups.js';
import * as m1201_015 from './2026_12_01_015_languages.js';
import * as m1201_016 from './2026_12_01_016_programme.js';
import * as m1201_017 from './2026_12_01_017_api_origins.js';
import * as m1201_018 from './2026_12_01_018_attendance_links.js';
import * as m1201_019 from './2026_12_01_019_audit_indexes.js';
import * as m1201_020 from './2026_12_01_020_media_alt.js';

export const migrations: Record<string, Migration> = {
  '2026_11_23_001_initial': m1123_001,
  '2026_11_23_003_auth': m1123_003,
  '2026_12_01_001_room_spaces': m1201_001,
  '2026_12_01_002_limits': m1201_002,
  '2026_12_01_003_mail_secrets': m1201_003,
  '2026_12_01_004_input': m1201_004,
  '2026_12_01_005_staff': m1201_005,
  '2026_12_01_006_languages': m1201_006,
  '2026_12_01_007_rhythms': m1201_007,
  '2026_12_01_008_media': m1201_008,
  '2026_12_01_009_reminders': m1201_009,
  '2026_12_01_010_attendance': m1201_010,
  '2026_12_01_011_house_texts': m1201_011,
  '2026_12_01_012_desk_notes': m1201_012,
  '2026_12_01_013_regular_groups': m1201_013,
  '2026_12_01_015_languages': m1201_015,
  '2026_12_01_016_programme': m1201_016,
  '2026_12_01_017_api_origins': m1201_017,
  '2026_12_01_018_attendance_links': m1201_018,
  '2026_12_01_019_audit_indexes': m1201_019,
  '2026_12_01_020_media_alt': m1201_020,
};
