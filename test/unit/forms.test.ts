import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '../../src/i18n/index.js';
import { checkbox, fieldErrors, idList, idParam, queryDateOr, setNotice, staffDateField, takeNotice } from '../../src/web/forms.js';
import { NotFoundError } from '../../src/web/errors.js';

const t = translator('en');

describe('fieldErrors', () => {
  it('keeps the first message per field and translates it', () => {
    const errors = fieldErrors(
      [
        { path: ['email'], message: 'users.error.email' },
        { path: ['email'], message: 'users.error.emailTaken' },
        { path: ['name'], message: 'users.error.name' },
      ],
      t,
    );
    expect(errors).toEqual({ email: t('users.error.email'), name: t('users.error.name') });
  });

  it("shows the fallback text, never zod's own English, for a message that is no catalog key", () => {
    const parsed = z.object({ n: z.number() }).safeParse({ n: 'x' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldErrors(parsed.error, t)).toEqual({ n: t('staff.error.invalid') });
    expect(fieldErrors(parsed.error, t, 'users.error.name')).toEqual({ n: t('users.error.name') });
  });

  it('puts an issue without a field on the form as a whole', () => {
    expect(fieldErrors([{ path: [], message: 'users.error.role' }], t)).toEqual({ form: t('users.error.role') });
  });
});

describe('idParam', () => {
  it('reads a positive whole number', () => {
    expect(idParam('42')).toBe(42);
    expect(idParam('999999999999999')).toBe(999999999999999);
  });

  it.each(['0', '-1', '1e3', '1.5', ' 7', '', '1234567890123456', 'abc'])('answers 404 for %j', (v) => {
    expect(() => idParam(v)).toThrow(NotFoundError);
  });

  it.each([7, undefined, null, ['7']])('answers 404 for a value that is no string: %j', (v) => {
    expect(() => idParam(v)).toThrow(NotFoundError);
  });
});

describe('idList', () => {
  it('reads nothing, one or several ticked ids', () => {
    expect(idList.parse(undefined)).toEqual([]);
    expect(idList.parse('3')).toEqual([3]);
    expect(idList.parse(['1', '20'])).toEqual([1, 20]);
  });

  it('refuses a list with anything but positive whole numbers', () => {
    for (const bad of [['1', 'x'], '0', ['-2'], ['1e3']]) {
      const r = idList.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      if (!r.success) expect(r.error.issues[0]?.message).toBe('staff.error.invalid');
    }
  });
});

describe('checkbox', () => {
  it('is ticked when sent with a value, not when missing or empty', () => {
    expect(checkbox.parse('on')).toBe(true);
    expect(checkbox.parse('1')).toBe(true);
    expect(checkbox.parse(['1', '1'])).toBe(true);
    expect(checkbox.parse(undefined)).toBe(false);
    expect(checkbox.parse('')).toBe(false);
  });
});

describe('staffDateField', () => {
  const required = staffDateField('export.error.from');
  const optional = staffDateField('audit.error.date', { optional: true });
  const messageOf = (schema: z.ZodType, v: string) => {
    const r = schema.safeParse(v);
    return r.success ? null : r.error.issues[0]?.message;
  };

  it('accepts a real date (trimmed)', () => {
    expect(required.parse(' 2026-12-01 ')).toBe('2026-12-01');
    expect(messageOf(required, '2028-02-29')).toBeNull();
  });

  it('says which field holds no date', () => {
    expect(messageOf(required, '2026-02-30')).toBe('export.error.from');
    expect(messageOf(required, '01.12.2026')).toBe('export.error.from');
    expect(messageOf(required, '')).toBe('export.error.from');
  });

  it('refuses a date outside the calendar years with its own message', () => {
    expect(messageOf(required, '1969-12-31')).toBe('staff.error.dateOutOfRange');
    expect(messageOf(required, '2200-01-01')).toBe('staff.error.dateOutOfRange');
  });

  it('lets an optional field stay empty, but not hold a wrong date', () => {
    expect(messageOf(optional, '')).toBeNull();
    expect(messageOf(optional, 'soon')).toBe('audit.error.date');
  });
});

describe('queryDateOr', () => {
  it('takes a valid date in the calendar years, else the fallback', () => {
    expect(queryDateOr('2026-12-24', '2026-11-23')).toBe('2026-12-24');
    expect(queryDateOr('2026-13-01', '2026-11-23')).toBe('2026-11-23');
    expect(queryDateOr('2300-01-01', '2026-11-23')).toBe('2026-11-23');
    expect(queryDateOr(['2026-12-24'], '2026-11-23')).toBe('2026-11-23');
    expect(queryDateOr(undefined, '2026-11-23')).toBe('2026-11-23');
  });
});

describe('setNotice and takeNotice', () => {
  const fakeReq = () => ({ session: {}, t }) as unknown as Request;

  it('shows the notice once, translated with its values, on the page after the redirect', () => {
    const req = fakeReq();
    setNotice(req, 'rooms.saved');
    expect(takeNotice(req)).toBe(t('rooms.saved'));
    expect(takeNotice(req)).toBe('');
  });

  it('fills in the parameters', () => {
    const req = fakeReq();
    setNotice(req, 'rooms.deactivate.confirmNeeded', { count: 3 });
    const text = takeNotice(req);
    expect(text).toBe(t('rooms.deactivate.confirmNeeded', { count: 3 }));
    expect(text).toContain('3');
  });

  it('keeps only the latest notice', () => {
    const req = fakeReq();
    setNotice(req, 'rooms.saved');
    setNotice(req, 'users.saved');
    expect(takeNotice(req)).toBe(t('users.saved'));
  });

  it('shows nothing for no session, no notice, or a key this version does not know', () => {
    expect(takeNotice({ t } as unknown as Request)).toBe('');
    expect(takeNotice(fakeReq())).toBe('');
    const req = { session: { notice: { key: 'gone.key' } }, t } as unknown as Request;
    expect(takeNotice(req)).toBe('');
    expect((req.session as { notice?: unknown }).notice).toBeUndefined();
  });

  it('is stored as a key, not as text, so the next page speaks its own language', () => {
    const req = fakeReq();
    setNotice(req, 'rooms.saved');
    expect((req.session as { notice?: unknown }).notice).toEqual({ key: 'rooms.saved' });
    (req as unknown as { t: typeof t }).t = translator('de');
    expect(takeNotice(req)).toBe(translator('de')('rooms.saved'));
  });
});
