// The forms of offers and notes as zod schemas (messages are catalog keys).
import { z } from 'zod';
import { asList, MESSAGE_MAX } from '../web/forms.js';
import { NOTE_MAX } from '../notes/service.js';

export const offerSchema = z.object({
  option: z.preprocess(asList, z.array(z.string().max(100)).min(1, { message: 'desk.offer.error.none' }).max(50, { message: 'desk.offer.error.none' })),
  message: z.string().trim().max(MESSAGE_MAX, { message: 'staff.error.messageTooLong' }).default(''),
});

export const noteSchema = z.object({
  body: z.string().trim().min(1, { message: 'desk.notes.error.empty' }).max(NOTE_MAX, { message: 'desk.notes.error.tooLong' }),
});

/** The option a group's link names: 1, 2, 3 … */
export const positionSchema = z.coerce.number().int().min(1).max(50);
