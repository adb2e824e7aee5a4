// Saving and deleting the caretaker's message templates, each in one transaction with its audit entry.
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import { DomainError } from '../errors.js';
import type { TemplateKind } from './repository.js';

export interface TemplateInput {
  kind: TemplateKind;
  label: string;
  body: string;
  sortOrder: number;
}

export async function saveTemplate(db: DB, now: number, userId: number, input: TemplateInput, id?: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = { kind: input.kind, label: input.label, body: input.body, sort_order: input.sortOrder };
    let savedId: number;
    if (id === undefined) {
      savedId = (await trx.insertInto('message_templates').values(values).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      const res = await trx.updateTable('message_templates').set(values).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new DomainError('not_found');
      savedId = id;
    }
    await audit(trx, {
      at: now,
      userId,
      actor: 'user',
      action: id === undefined ? 'template.created' : 'template.updated',
      entity: 'message_template',
      entityId: savedId,
      details: { kind: input.kind, label: input.label },
    });
    return savedId;
  });
}

export async function deleteTemplate(db: DB, now: number, userId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('message_templates').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new DomainError('not_found');
    await audit(trx, { at: now, userId, actor: 'user', action: 'template.deleted', entity: 'message_template', entityId: id });
  });
}
