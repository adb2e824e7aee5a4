// Short message templates the caretaker picks from when approving, rejecting or cancelling.
import type { Conn, DB } from '../db/database.js';
import type { MessageTemplate } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { NotFoundError } from '../web/errors.js';

export type TemplateKind = MessageTemplate['kind'];
export const TEMPLATE_KINDS: TemplateKind[] = ['approve', 'reject', 'cancel'];

export interface TemplateInput {
  kind: TemplateKind;
  label: string;
  body: string;
  sortOrder: number;
}

export async function listTemplates(db: Conn, kind?: TemplateKind): Promise<MessageTemplate[]> {
  let q = db.selectFrom('message_templates').selectAll().orderBy('kind').orderBy('sort_order').orderBy('id');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

export async function findTemplate(db: Conn, id: number): Promise<MessageTemplate | undefined> {
  return db.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveTemplate(db: DB, now: number, userId: number, input: TemplateInput, id?: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = { kind: input.kind, label: input.label, body: input.body, sort_order: input.sortOrder };
    let savedId: number;
    if (id === undefined) {
      savedId = (await trx.insertInto('message_templates').values(values).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      const res = await trx.updateTable('message_templates').set(values).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new NotFoundError();
      savedId = id;
    }
    await audit(trx, {
      at: now, userId, actor: 'user', action: id === undefined ? 'template.created' : 'template.updated',
      entity: 'message_template', entityId: savedId, details: { kind: input.kind, label: input.label },
    });
    return savedId;
  });
}

export async function deleteTemplate(db: DB, now: number, userId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('message_templates').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new NotFoundError();
    await audit(trx, { at: now, userId, actor: 'user', action: 'template.deleted', entity: 'message_template', entityId: id });
  });
}
