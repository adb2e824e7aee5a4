// Manage links leave the stored mails: the outbox gets a column for the encrypted token (filled in only when
// the mail is sent, see src/mail/secrets.ts). Mails already sent lose their link here; mails still waiting
// are sealed at the next start, which has the key (src/mail/outbox.ts sealLegacyLinks).
// And each mail gets its Reply-To: the house for mails to groups, the group for staff mails about a request.
import { type Kysely } from 'kysely';

/** The placeholder of src/mail/secrets.ts, frozen here as migrations are. */
const PLACEHOLDER = '{manage-token}';
const LINK = /(\/requests\/)[A-Za-z0-9_-]{20,}/g;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('secret', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('reply_to', 'text').execute();
  const sent = await db
    .selectFrom('outbox')
    .select(['id', 'text_body', 'html_body'])
    .where('status', '=', 'sent')
    .where('text_body', 'like', '%/requests/%')
    .execute();
  for (const m of sent) {
    const text = (m.text_body as string).replace(LINK, `$1${PLACEHOLDER}`);
    const html = (m.html_body as string).replace(LINK, `$1${PLACEHOLDER}`);
    if (text !== m.text_body || html !== m.html_body) {
      await db.updateTable('outbox').set({ text_body: text, html_body: html }).where('id', '=', m.id).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('reply_to').execute();
  await db.schema.alterTable('outbox').dropColumn('secret').execute();
}
