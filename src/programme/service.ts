// Writing a request's public text: one update, its sequence raised so calendar clients take the change, and an
// audit entry naming the fields that changed (never the texts themselves: they are the group's words).
import type { DB } from '../db/database.js';
import { audit } from '../audit/log.js';
import type { PublicTextInput } from './schema.js';

/** Who writes the text: a member of staff (request detail page) or the group (its manage link). */
export interface PublicTextActor {
  now: number;
  actor: 'user' | 'group';
  userId?: number | null;
}

export async function setPublicText(db: DB, requestId: number, input: PublicTextInput, who: PublicTextActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const cur = await trx
      .selectFrom('requests')
      .select(['public_event', 'public_title', 'public_description', 'public_language'])
      .where('id', '=', requestId)
      .where('anonymized_at', 'is', null)
      .executeTakeFirst();
    if (!cur) return;
    const next = {
      public_event: input.publicEvent ? 1 : 0,
      public_title: input.publicTitle || null,
      public_description: input.publicDescription || null,
      public_language: input.publicDescription ? input.publicLanguage : null,
    };
    const changed = (
      [
        ['publicEvent', 'public_event'],
        ['publicTitle', 'public_title'],
        ['publicDescription', 'public_description'],
        ['publicLanguage', 'public_language'],
      ] as const
    )
      .filter(([, column]) => cur[column] !== next[column])
      .map(([field]) => field);
    if (!changed.length) return;
    await trx
      .updateTable('requests')
      .set((eb) => ({ ...next, sequence: eb('sequence', '+', 1), updated_at: who.now }))
      .where('id', '=', requestId)
      .execute();
    const details: Record<string, unknown> = { changed };
    if (changed.includes('publicEvent')) details.publicEvent = { from: cur.public_event === 1, to: next.public_event === 1 };
    if (changed.includes('publicLanguage')) details.publicLanguage = { from: cur.public_language, to: next.public_language };
    await audit(trx, {
      at: who.now,
      userId: who.userId ?? null,
      actor: who.actor,
      action: 'request.public_text',
      entity: 'request',
      entityId: requestId,
      details,
    });
  });
}
