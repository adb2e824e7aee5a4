// The export's columns and rows as people read them: times in the house zone, status and category in their language.
import type { MessageKey, Translate } from '../i18n/index.js';
import { localTime } from '../time/index.js';
import type { ExportBooking } from './repository.js';

export interface ExportRow {
  reference: string;
  room: string;
  date: string;
  start: string;
  end: string;
  status: string;
  title: string;
  publicTitle: string;
  category: string;
  attendees: number;
  organisation: string;
  contactName: string;
  email: string;
  phone: string;
}

export const COLUMNS: [keyof ExportRow, MessageKey][] = [
  ['reference', 'export.col.reference'],
  ['room', 'export.col.room'],
  ['date', 'export.col.date'],
  ['start', 'export.col.start'],
  ['end', 'export.col.end'],
  ['status', 'export.col.status'],
  ['title', 'export.col.title'],
  ['publicTitle', 'export.col.publicTitle'],
  ['category', 'export.col.category'],
  ['attendees', 'export.col.attendees'],
  ['organisation', 'export.col.organisation'],
  ['contactName', 'export.col.contactName'],
  ['email', 'export.col.email'],
  ['phone', 'export.col.phone'],
];

export function exportRow(x: ExportBooking, zone: string, t: Translate): ExportRow {
  return {
    reference: x.reference,
    room: x.room,
    date: x.local_date,
    start: localTime(x.start_at, zone),
    end: localTime(x.end_at, zone),
    status: t(`bookingStatus.${x.status}`),
    title: x.title,
    publicTitle: x.public_title ?? '',
    category: t(`category.${x.category}`),
    attendees: x.attendees,
    organisation: x.organisation ?? '',
    contactName: x.contact_name,
    email: x.email,
    phone: x.phone ?? '',
  };
}

/** The cells of one row, in the order of COLUMNS. */
export function exportCells(row: ExportRow): (string | number)[] {
  return COLUMNS.map(([k]) => row[k]);
}
