// The audit log: who did what, when. Written in the same transaction as the change it records.
import type { Conn } from '../db/database.js';
import type { AuditLogTable } from '../db/schema.js';

export interface AuditInput {
  at: number;
  userId?: number | null;
  actor: AuditLogTable['actor'];
  action: string;
  entity: string;
  entityId?: number | null;
  /** What changed; never passwords, tokens or personal data beyond what the entity holds. */
  details?: Record<string, unknown>;
}

export async function audit(db: Conn, e: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      user_id: e.userId ?? null,
      actor: e.actor,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}
