// Queries for the caretaker's message templates (the texts picked when approving, rejecting or cancelling).
import type { Conn } from '../db/database.js';
import type { MessageTemplate } from '../db/schema.js';

export type TemplateKind = MessageTemplate['kind'];

export async function listTemplates(db: Conn, kind?: TemplateKind): Promise<MessageTemplate[]> {
  let q = db.selectFrom('message_templates').selectAll().orderBy('kind').orderBy('sort_order').orderBy('id');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

export async function findTemplate(db: Conn, id: number): Promise<MessageTemplate | undefined> {
  return db.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
}
