// The audit log's filters at 100,000 entries (issue 16): each filter of /admin/audit (action, area, entity, user,
// group or system) an index search in the order the page lists entries (newest first), so the count and the page
// read only the matching entries instead of the whole log. audit_log(entity, entity_id) stays for a request's or
// a room's own history.
import { sql, type Kysely } from 'kysely';

const INDEXES: [name: string, columns: string][] = [
  ['audit_log_action_at', 'action, at'],
  ['audit_log_entity_at', 'entity, at'],
  ['audit_log_user_at', 'user_id, at'],
  ['audit_log_actor_at', 'actor, at'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of INDEXES) await sql.raw(`CREATE INDEX ${name} ON audit_log (${columns})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await sql.raw(`DROP INDEX ${name}`).execute(db);
}
