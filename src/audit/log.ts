// The audit log: who did what, when. Written in the same transaction as the change it records.
import type { Conn } from '../db/database.js';
import type { AuditLogTable } from '../db/schema.js';

/** Every action the audit log records; each has its label in the catalog (`audit.action.<code>`). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'attendance.reported',
  'attendance.cleared',
  'block.created',
  'block.updated',
  'block.deleted',
  'blocks.holidays_imported',
  'booking.cancel',
  'booking.clash_found',
  'export.bookings',
  'feed.token.create',
  'feed.token.revoke',
  'house_text.translated',
  'house_text.removed',
  'media.uploaded',
  'media.described',
  'media.reordered',
  'media.removed',
  'outbox.resend',
  'privacy.erased',
  'privacy.exported',
  'privacy.retention',
  'request.create',
  'request.update',
  'request.language',
  'request.created',
  'request.changed',
  'request.cancelled',
  'request.approved',
  'request.rejected',
  'request.approval_refused',
  'room.created',
  'room.updated',
  'room.deactivated',
  'room.reactivated',
  'settings.updated',
  'template.created',
  'template.updated',
  'template.deleted',
  'user.created',
  'user.deactivated',
  'user.reactivated',
  'user.role_changed',
  'user.password_reset',
  'user.daily_summary',
  'note.added',
  'note.deleted',
  'offer.sent',
  'offer.accepted',
  // Regular groups and absence (wt-trust).
  'request.auto_approved',
  'regular_group.created',
  'regular_group.updated',
  'regular_group.deleted',
  'absence.updated',
  'absence.settings',
  // The public programme's texts and the embed settings (issue 15, wt-embed).
  'request.public_text',
  'settings.embed_origins',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(code: string): code is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(code);
}

export interface AuditInput {
  at: number;
  userId?: number | null;
  actor: AuditLogTable['actor'];
  action: AuditAction;
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
