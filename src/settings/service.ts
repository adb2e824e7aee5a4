// Saving the house settings: one transaction that also versions a changed rules or privacy text and audits the change.
import type { DB } from '../db/database.js';
import type { OpeningHours } from '../db/schema.js';
import { audit } from '../audit/log.js';
import { findSettingsRow, insertDocumentVersion, updateSettingsRow } from './repository.js';
import { WEEKDAYS, disabledLanguagesOf, type SettingsInput } from './schema.js';

export interface SettingsChange {
  changed: string[];
  rulesVersion?: number;
  privacyVersion?: number;
  zoneChanged: boolean;
}

/** The opening hours of the form's day fields (a day marked closed has none). */
export function openingHoursOf(v: Record<string, unknown>): OpeningHours {
  const out = {} as OpeningHours;
  for (const d of WEEKDAYS) out[d] = v[`closed_${d}`] ? null : { open: v[`open_${d}`] as string, close: v[`close_${d}`] as string };
  return out;
}

/** Saves the settings; a changed rules/privacy text gets the next version (and a document_versions row) in the same transaction. */
export async function saveSettings(db: DB, v: SettingsInput, actor: { userId: number; now: number }): Promise<SettingsChange> {
  return db.transaction().execute(async (trx) => {
    const cur = await findSettingsRow(trx);
    const row = {
      house_name: v.house_name,
      street: v.street,
      postal_code: v.postal_code,
      city: v.city,
      contact_name: v.contact_name,
      contact_email: v.contact_email,
      contact_phone: v.contact_phone,
      lead_time_days: v.lead_time_days,
      horizon_months: v.horizon_months,
      retention_months: v.retention_months,
      federal_state: v.federal_state,
      default_language: v.default_language,
      timezone: v.timezone,
      about_text: v.about_text,
      rules_text: v.rules_text,
      privacy_text: v.privacy_text,
      imprint_text: v.imprint_text,
      reminder_days: v.reminder_days,
      key_pickup_text: v.key_pickup_text,
      summary_hour: v.summary_hour,
      attendance_mails: v.attendance_mails,
      api_origins: v.api_origins,
      opening_hours: JSON.stringify(openingHoursOf(v)),
      disabled_languages: disabledLanguagesOf(v, v.default_language),
    };
    const changed = Object.entries(row)
      .filter(([k, val]) => cur[k as keyof typeof cur] !== val)
      .map(([k]) => k);
    const result: SettingsChange = { changed, zoneChanged: cur.timezone !== v.timezone };
    const versions: { rules_version?: number; privacy_version?: number } = {};
    for (const kind of ['rules', 'privacy'] as const) {
      if (cur[`${kind}_text`] === row[`${kind}_text`]) continue;
      const version = cur[`${kind}_version`] + 1;
      versions[`${kind}_version`] = version;
      await insertDocumentVersion(trx, kind, version, row[`${kind}_text`], actor.now);
      if (kind === 'rules') result.rulesVersion = version;
      else result.privacyVersion = version;
    }
    if (!changed.length) return result;
    await updateSettingsRow(trx, { ...row, ...versions, updated_at: actor.now });
    // Long texts are named, not copied, into the log (their versions are in document_versions).
    const details: Record<string, unknown> = { changed };
    if (result.rulesVersion) details.rulesVersion = result.rulesVersion;
    if (result.privacyVersion) details.privacyVersion = result.privacyVersion;
    if (result.zoneChanged) details.timezone = { from: cur.timezone, to: v.timezone };
    // Reminders: the old and new value, so the log says when reminders were switched off or moved.
    for (const k of ['reminder_days', 'key_pickup_text', 'summary_hour', 'attendance_mails', 'api_origins', 'disabled_languages'] as const)
      if (changed.includes(k)) details[k] = { from: cur[k], to: row[k] };
    await audit(trx, { at: actor.now, userId: actor.userId, actor: 'user', action: 'settings.updated', entity: 'settings', entityId: 1, details });
    return result;
  });
}
