// /admin/regular-groups (caretaker and admin): the list of regular groups ("Stammgruppen") whose requests are
// approved at once within their allowance; add, change, remove. Every change is in the audit log.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { RegularGroup } from '../db/schema.js';
import { listRooms } from '../rooms/repository.js';
import { formatDate } from '../time/format.js';
import { fieldErrors, formBody, idParam, setNotice, takeNotice } from '../web/forms.js';
import { NotFoundError } from '../web/errors.js';
import { findRegularGroup, listRegularGroups } from './repository.js';
import { allowanceOf } from './rules.js';
import { regularGroupSchema, valuesOfBody, type RegularGroupValues } from './schema.js';
import { removeRegularGroup, saveRegularGroup } from './service.js';

const EMPTY: RegularGroupValues = { match_kind: 'email', match_value: '', rooms: [], weekdays: [], start_time: '', end_time: '', valid_until: '', note: '' };

function valuesOfRow(g: RegularGroup): RegularGroupValues {
  const a = allowanceOf(g);
  return {
    match_kind: g.match_kind,
    match_value: g.label,
    rooms: a.roomIds.map(String),
    weekdays: a.weekdays.map(String),
    start_time: g.start_time,
    end_time: g.end_time,
    valid_until: g.valid_until ?? '',
    note: g.note,
  };
}

/** Weekday names Monday first, in the page's language (1 January 2024 was a Monday). */
function weekdayNames(lang: string): { value: string; name: string; short: string }[] {
  return [1, 2, 3, 4, 5, 6, 7].map((d) => {
    const at = new Date(Date.UTC(2024, 0, d, 12));
    return {
      value: String(d),
      name: at.toLocaleDateString(lang === 'en' ? 'en-GB' : lang, { weekday: 'long', timeZone: 'UTC' }),
      short: at.toLocaleDateString(lang === 'en' ? 'en-GB' : lang, { weekday: 'short', timeZone: 'UTC' }),
    };
  });
}

export function regularGroupRoutes(ctx: AppContext): Router {
  const r = Router();
  const actor = (req: Request) => ({ userId: req.user!.id, now: ctx.clock().getTime() });

  r.get('/regular-groups', async (req, res) => {
    const [groups, rooms] = await Promise.all([listRegularGroups(ctx.db), listRooms(ctx.db, { includeInactive: true })]);
    const roomName = new Map(rooms.map((x) => [x.id, x.name]));
    const days = weekdayNames(req.lang);
    res.render('admin/regular-groups', {
      title: req.t('regularGroups.title'),
      flash: takeNotice(req),
      groups: groups.map((g) => {
        const a = allowanceOf(g);
        return {
          id: g.id,
          label: g.label,
          kind: g.match_kind === 'email' ? req.t('regularGroups.kind.email') : req.t('regularGroups.kind.organisation'),
          rooms: a.roomIds.map((id) => roomName.get(id) ?? '–').join(', '),
          weekdays: a.weekdays.map((d) => days[d - 1]!.short).join(', '),
          time: req.t('regularGroups.timeRange', { from: g.start_time, to: g.end_time }),
          validUntil: g.valid_until ? formatDate(g.valid_until, req.lang, 'date') : req.t('regularGroups.noEnd'),
          note: g.note,
        };
      }),
    });
  });

  async function renderForm(req: Request, res: Response, status: number, id: number | null, values: RegularGroupValues, errors: Record<string, string>) {
    const rooms = await listRooms(ctx.db);
    res.status(status).render('admin/regular-group-form', {
      title: id === null ? req.t('regularGroups.new') : req.t('regularGroups.edit', { label: values.match_value }),
      id,
      values,
      errors,
      rooms: rooms.map((x) => ({ id: String(x.id), name: x.name })),
      weekdays: weekdayNames(req.lang),
    });
  }

  r.get('/regular-groups/new', (req, res) => renderForm(req, res, 200, null, EMPTY, {}));

  r.get('/regular-groups/:id', async (req, res) => {
    const g = await findRegularGroup(ctx.db, idParam(req.params.id));
    if (!g) throw new NotFoundError();
    await renderForm(req, res, 200, g.id, valuesOfRow(g), {});
  });

  async function save(req: Request, res: Response, id: number | null) {
    if (id !== null && !(await findRegularGroup(ctx.db, id))) throw new NotFoundError();
    const values = valuesOfBody(formBody(req));
    const parsed = regularGroupSchema.safeParse(values);
    if (!parsed.success) return renderForm(req, res, 400, id, values, fieldErrors(parsed.error, req.t));
    const result = await saveRegularGroup(ctx.db, parsed.data, actor(req), id ?? undefined);
    if (!result.ok) return renderForm(req, res, 409, id, values, { [result.field]: req.t(result.key) });
    setNotice(req, 'regularGroups.saved', { label: values.match_value.trim() });
    res.redirect(303, '/admin/regular-groups');
  }

  r.post('/regular-groups', (req, res) => save(req, res, null));
  r.post('/regular-groups/:id', (req, res) => save(req, res, idParam(req.params.id)));
  r.post('/regular-groups/:id/delete', async (req, res) => {
    if (!(await removeRegularGroup(ctx.db, idParam(req.params.id), actor(req)))) throw new NotFoundError();
    setNotice(req, 'regularGroups.deleted');
    res.redirect(303, '/admin/regular-groups');
  });

  return r;
}
