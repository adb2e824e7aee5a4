// House settings under /admin/settings (admin only): contact, opening hours, booking limits, texts, time zone.
// A changed house rules or privacy text gets a new version, kept in document_versions.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { FEDERAL_STATES } from '../time/holidays.js';
import { STAFF_LANGUAGES } from '../i18n/languages.js';
import { requireRole } from '../auth/guard.js';
import { fieldErrors, formBody, setNotice, takeNotice } from '../web/forms.js';
import type { House } from './repository.js';
import { formValues, openingHoursIssues, settingsSchema, SWITCHABLE_LANGUAGES, WEEKDAYS } from './schema.js';
import { saveSettings } from './service.js';

/** The form's values for the current settings. */
function valuesOf(h: House): Record<string, unknown> {
  const v: Record<string, unknown> = {
    house_name: h.name,
    street: h.street,
    postal_code: h.postalCode,
    city: h.city,
    contact_name: h.contactName,
    contact_email: h.contactEmail,
    contact_phone: h.contactPhone,
    lead_time_days: String(h.leadTimeDays),
    horizon_months: String(h.horizonMonths),
    retention_months: String(h.retentionMonths),
    federal_state: h.federalState,
    default_language: h.defaultLanguage,
    timezone: h.zone,
    about_text: h.aboutText,
    rules_text: h.rulesText,
    privacy_text: h.privacyText,
    imprint_text: h.imprintText,
    reminder_days: String(h.reminderDays),
    key_pickup_text: h.keyPickupText,
    summary_hour: String(h.summaryHour),
    attendance_mails: h.attendanceMails ? '1' : '',
    api_origins: h.apiOrigins.join('\n'),
  };
  for (const c of SWITCHABLE_LANGUAGES) v[`offered_${c}`] = h.languages.includes(c) ? '1' : '';
  for (const d of WEEKDAYS) {
    const day = h.openingHours[d];
    v[`open_${d}`] = day?.open ?? '';
    v[`close_${d}`] = day?.close ?? '';
    v[`closed_${d}`] = day ? '' : '1';
  }
  return v;
}

function render(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
  res.status(status).render('admin/settings', {
    title: req.t('settings.title'),
    flash: takeNotice(req),
    values,
    errors,
    weekdays: WEEKDAYS,
    federalStates: FEDERAL_STATES,
    languages: STAFF_LANGUAGES,
    switchable: SWITCHABLE_LANGUAGES,
    versions: { rules: req.house.rulesVersion, privacy: req.house.privacyVersion },
  });
}

export function settingsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/settings', requireRole('admin'));

  r.get('/settings', (req, res) => render(req, res, 200, valuesOf(req.house), {}));

  r.post('/settings', async (req, res) => {
    const body = { ...formBody(req) };
    // A form without the reminders fieldset (a page opened before it existed) keeps the current reminder settings.
    const reminders = {
      reminder_days: String(req.house.reminderDays),
      key_pickup_text: req.house.keyPickupText,
      summary_hour: String(req.house.summaryHour),
      api_origins: req.house.apiOrigins.join('\n'),
    };
    for (const [k, v] of Object.entries(reminders)) if (!(k in body)) body[k] = v;
    // A form without the languages fieldset (opened before it existed) keeps the offered languages as they are.
    // A form without the attendance switch (opened before it existed) keeps the attendance mails as they are.
    if (!('attendance_shown' in body) && req.house.attendanceMails) body.attendance_mails = '1';
    if (!('languages_shown' in body)) for (const c of SWITCHABLE_LANGUAGES) if (req.house.languages.includes(c)) body[`offered_${c}`] = '1';
    const values = formValues(body);
    const parsed = settingsSchema.safeParse(values);
    const hourIssues = openingHoursIssues(values);
    if (!parsed.success || hourIssues.length) {
      return render(req, res, 400, values, fieldErrors([...(parsed.success ? [] : parsed.error.issues), ...hourIssues], req.t));
    }
    const change = await saveSettings(ctx.db, parsed.data, { userId: req.user!.id, now: ctx.clock().getTime() });
    setNotice(req, change.zoneChanged ? 'settings.savedZone' : 'settings.saved');
    res.redirect(303, '/admin/settings');
  });

  return r;
}
