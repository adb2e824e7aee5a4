// Writing a request's public text: one update, its sequence raised so calendar clients take the change.
import type { DB } from '../db/database.js';
import type { PublicTextInput } from './schema.js';

export async function setPublicText(db: DB, requestId: number, input: PublicTextInput, now: number): Promise<void> {
  await db
    .updateTable('requests')
    .set((eb) => ({
      public_event: input.publicEvent ? 1 : 0,
      public_title: input.publicTitle || null,
      public_description: input.publicDescription || null,
      public_language: input.publicDescription ? input.publicLanguage : null,
      sequence: eb('sequence', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', requestId)
    .where('anonymized_at', 'is', null)
    .execute();
}
