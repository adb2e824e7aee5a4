// House settings under /admin/settings (admin only): contact, opening hours, booking limits, texts, time zone.
// A changed house rules or privacy text gets a new version, kept in document_versions.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Conn } from '../db/database.js';
import type { OpeningHours, Weekday } from '../db/schema.js';
import { FEDERAL_STATES } from '../calendar/holidays.js';
import { LANGUAGES } from '../i18n/index.js';
import { audit } from '../audit/log.js';
import { requireRole } from '../auth/guard.js';
import type { House } from './repository.js';
import { isValidZone, minutesOf, TIME_RE } from '../time/index.js';
import { fieldErrors, setFlash, takeFlash } from '../admin/form.js';

export const WEEKDAYS: Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];

const intField = (min: number, max: number, key: Parameters<Request['t']>[0]) =>
  z.string().trim().regex(/^\d+$/, key).transform(Number).pipe(z.number().int().min(min, key).max(max, key));
const text = (max: number) => z.string().max(max, 'settings.error.tooLong').transform((s) => s.replace(/\r\n/g, '\n'));
const line = (max: number) => z.string().trim().max(max, 'settings.error.tooLong');

const hoursFields = Object.fromEntries(
  WEEKDAYS.flatMap((d) => [
    [`open_${d}`, z.string().trim().default('')],
    [`close_${d}`, z.string().trim().default('')],
    [`closed_${d}`, z.any().optional().transform((v) => v === '1' || v === 'on')],
  ]),
) as Record<string, z.ZodType>;

export const settingsSchema = z
  .object({
    house_name: z.string().trim().min(1, 'settings.error.houseName').max(120, 'settings.error.tooLong'),
    street: line(120),
    postal_code: line(12),
    city: line(80),
    contact_name: line(120),
    contact_email: z.string().trim().max(254, 'settings.error.tooLong').refine((v) => v === '' || z.email().safeParse(v).success, 'settings.error.email'),
    contact_phone: line(40),
    lead_time_days: intField(0, 365, 'settings.error.leadTime'),
    horizon_months: intField(1, 36, 'settings.error.horizon'),
    retention_months: intField(1, 120, 'settings.error.retention'),
    federal_state: z.enum(FEDERAL_STATES, 'settings.error.federalState'),
    default_language: z.enum(LANGUAGES, 'settings.error.language'),
    timezone: z.string().trim().max(64, 'settings.error.timezone').refine((v) => v.includes('/') && isValidZone(v), 'settings.error.timezone'),
    about_text: text(10000),
    rules_text: text(50000),
    privacy_text: text(50000),
    imprint_text: text(10000),
    ...hoursFields,
  });

/** Opening hours: HH:MM each, closing after opening, unless the day is marked closed. Checked even when other fields fail. */
export function openingHoursIssues(v: Record<string, unknown>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const d of WEEKDAYS) {
    if (v[`closed_${d}`] === '1' || v[`closed_${d}`] === 'on' || v[`closed_${d}`] === true) continue;
    const open = String(v[`open_${d}`] ?? '').trim();
    const close = String(v[`close_${d}`] ?? '').trim();
    if (!TIME_RE.test(open) || !(TIME_RE.test(close) || close === '24:00')) {
      issues.push({ path: [`open_${d}`], message: 'settings.error.hoursFormat' });
    } else if (minutesOf(close) <= minutesOf(open)) {
      issues.push({ path: [`open_${d}`], message: 'settings.error.hoursOrder' });
    }
  }
  return issues;
}

export type SettingsInput = z.infer<typeof settingsSchema>;

function openingHoursOf(v: Record<string, unknown>): OpeningHours {
  const out = {} as OpeningHours;
  for (const d of WEEKDAYS) out[d] = v[`closed_${d}`] ? null : { open: v[`open_${d}`] as string, close: v[`close_${d}`] as string };
  return out;
}

function valuesOf(h: House): Record<string, unknown> {
  const v: Record<string, unknown> = {
    house_name: h.name, street: h.street, postal_code: h.postalCode, city: h.city, contact_name: h.contactName,
    contact_email: h.contactEmail, contact_phone: h.contactPhone, lead_time_days: String(h.leadTimeDays),
    horizon_months: String(h.horizonMonths), retention_months: String(h.retentionMonths), federal_state: h.federalState,
    default_language: h.defaultLanguage, timezone: h.zone, about_text: h.aboutText, rules_text: h.rulesText,
    privacy_text: h.privacyText, imprint_text: h.imprintText,
  };
  for (const d of WEEKDAYS) {
    const day = h.openingHours[d];
    v[`open_${d}`] = day?.open ?? '';
    v[`close_${d}`] = day?.close ?? '';
    v[`closed_${d}`] = day ? '' : '1';
  }
  return v;
}

function formValues(body: Record<string, unknown>): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(body)) if (k !== '_csrf') v[k] = typeof val === 'string' ? val : '';
  for (const k of Object.keys(settingsSchema.shape)) if (!(k in v) && !k.startsWith('closed_')) v[k] = '';
  return v;
}

export interface SettingsChange {
  changed: string[];
  rulesVersion?: number;
  privacyVersion?: number;
  zoneChanged: boolean;
}

/** Saves the settings; a changed rules/privacy text gets the next version (and a document_versions row) in the same transaction. */
export async function saveSettings(db: Conn, v: SettingsInput, actor: { userId: number; now: number }): Promise<SettingsChange> {
  return db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    const row = {
      house_name: v.house_name, street: v.street, postal_code: v.postal_code, city: v.city, contact_name: v.contact_name,
      contact_email: v.contact_email, contact_phone: v.contact_phone, lead_time_days: v.lead_time_days,
      horizon_months: v.horizon_months, retention_months: v.retention_months, federal_state: v.federal_state,
      default_language: v.default_language, timezone: v.timezone, about_text: v.about_text, rules_text: v.rules_text,
      privacy_text: v.privacy_text, imprint_text: v.imprint_text, opening_hours: JSON.stringify(openingHoursOf(v as Record<string, unknown>)),
    };
    const changed = Object.entries(row).filter(([k, val]) => cur[k as keyof typeof cur] !== val).map(([k]) => k);
    const result: SettingsChange = { changed, zoneChanged: cur.timezone !== v.timezone };
    const versions: { rules_version?: number; privacy_version?: number } = {};
    for (const kind of ['rules', 'privacy'] as const) {
      if (cur[`${kind}_text`] === row[`${kind}_text`]) continue;
      const version = cur[`${kind}_version`] + 1;
      versions[`${kind}_version`] = version;
      await trx.insertInto('document_versions').values({ kind, version, text: row[`${kind}_text`], created_at: actor.now }).execute();
      if (kind === 'rules') result.rulesVersion = version;
      else result.privacyVersion = version;
    }
    if (!changed.length) return result;
    await trx.updateTable('settings').set({ ...row, ...versions, updated_at: actor.now }).where('id', '=', 1).execute();
    // Long texts are named, not copied, into the log (their versions are in document_versions).
    const details: Record<string, unknown> = { changed };
    if (result.rulesVersion) details.rulesVersion = result.rulesVersion;
    if (result.privacyVersion) details.privacyVersion = result.privacyVersion;
    if (result.zoneChanged) details.timezone = { from: cur.timezone, to: v.timezone };
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'settings.updated', entity: 'settings', entityId: 1, details });
    return result;
  });
}

function render(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
  res.status(status).render('admin/settings', {
    title: req.t('settings.title'),
    flash: takeFlash(req),
    values,
    errors,
    weekdays: WEEKDAYS,
    federalStates: FEDERAL_STATES,
    languages: LANGUAGES,
    versions: { rules: req.house.rulesVersion, privacy: req.house.privacyVersion },
  });
}

export function settingsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/settings', requireRole('admin'));

  r.get('/settings', (req, res) => render(req, res, 200, valuesOf(req.house), {}));

  r.post('/settings', async (req, res) => {
    const values = formValues(req.body ?? {});
    const parsed = settingsSchema.safeParse(values);
    const hourIssues = openingHoursIssues(values);
    if (!parsed.success || hourIssues.length) {
      return render(req, res, 400, values, fieldErrors(req, [...(parsed.success ? [] : parsed.error.issues), ...hourIssues]));
    }
    const change = await saveSettings(ctx.db, parsed.data, { userId: req.user!.id, now: ctx.clock().getTime() });
    setFlash(req, change.zoneChanged ? 'settings.savedZone' : 'settings.saved');
    res.redirect(303, '/admin/settings');
  });

  return r;
}
