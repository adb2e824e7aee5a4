// The embeddable programme (/embed/programme): which origins may frame it (a setting, off by default), the
// check of what an admin types, and the page's own frame-ancestors. Every other page keeps frame-ancestors
// 'none' and X-Frame-Options: DENY (src/web/security.ts).
import type { Response } from 'express';
import type { Conn, DB } from '../db/database.js';
import { audit } from '../audit/log.js';

/** Longest list accepted (the column allows 4000 characters). */
export const EMBED_MAX_ORIGINS = 20;

export async function embedOrigins(db: Conn): Promise<string[]> {
  const row = await db.selectFrom('settings').select('embed_origins').where('id', '=', 1).executeTakeFirst();
  return (row?.embed_origins ?? '').split('\n').filter((s) => s !== '');
}

/** Saves the list; a change is audited with the lists before and after (origins are no personal data). */
export async function setEmbedOrigins(db: DB, origins: string[], who: { now: number; userId: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await embedOrigins(trx);
    if (before.join('\n') === origins.join('\n')) return;
    await trx
      .updateTable('settings')
      .set({ embed_origins: origins.join('\n'), updated_at: who.now })
      .where('id', '=', 1)
      .execute();
    await audit(trx, {
      at: who.now,
      userId: who.userId,
      actor: 'user',
      action: 'settings.embed_origins',
      entity: 'settings',
      entityId: 1,
      details: { embed_origins: { from: before.join('\n'), to: origins.join('\n') } },
    });
  });
}

/**
 * The typed list (one per line, or separated by spaces or commas) as origins, or the entries that are none.
 * An origin is scheme://host[:port] of http or https, nothing after it (a trailing slash is forgiven).
 */
export function parseOrigins(text: string): { ok: true; origins: string[] } | { ok: false; bad: string[] } {
  const entries = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const origins: string[] = [];
  const bad: string[] = [];
  for (const e of entries) {
    let url: URL | null = null;
    try {
      url = new URL(e);
    } catch {
      url = null;
    }
    const plain = e.replace(/\/$/, '');
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === plain.toLowerCase()) {
      if (!origins.includes(url.origin)) origins.push(url.origin);
    } else bad.push(e.slice(0, 80));
  }
  if (bad.length || origins.length > EMBED_MAX_ORIGINS) return { ok: false, bad };
  return { ok: true, origins };
}

/** Lets the given origins frame this one answer: its CSP's frame-ancestors, and no X-Frame-Options. */
export function allowFraming(res: Response, origins: string[]): void {
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${origins.join(' ')}`));
  res.removeHeader('X-Frame-Options');
}
