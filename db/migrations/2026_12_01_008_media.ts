// Pictures: room photos, the house's floor plan and logo. Only our own re-encodings are stored (never an upload's
// bytes), in the database itself, so backups and restores carry them and nothing is served from a file path.
// AUTOINCREMENT: an id is never reused, so a picture's URL (/media/<id>-<variant>.<format>) may be cached forever.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE media (
    id integer primary key autoincrement,
    kind text not null check (kind in ('room_photo', 'floor_plan', 'logo')),
    room_id integer references rooms(id) on delete cascade,
    position integer not null default 0,
    alt_de text not null default '' check (length(alt_de) <= 300),
    alt_en text not null default '' check (length(alt_en) <= 300),
    width integer not null check (width > 0),
    height integer not null check (height > 0),
    created_at integer not null,
    check ((kind = 'room_photo') = (room_id is not null))
  )`.execute(db);
  await sql`CREATE INDEX media_room ON media (room_id, position)`.execute(db);
  await sql`CREATE TABLE media_variants (
    media_id integer not null references media(id) on delete cascade,
    name text not null,
    format text not null check (format in ('webp', 'png')),
    width integer not null,
    height integer not null,
    etag text not null,
    bytes blob not null,
    primary key (media_id, name)
  ) WITHOUT ROWID`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE media_variants`.execute(db);
  await sql`DROP TABLE media`.execute(db);
}
