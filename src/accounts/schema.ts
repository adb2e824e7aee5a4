// The account forms: a new account (name, e-mail, role) and a role change.
import { z } from 'zod';
import type { Role } from '../db/schema.js';

export const ROLES: Role[] = ['caretaker', 'admin'];

export const newAccountSchema = z.object({
  name: z.string().trim().min(1, 'users.error.name').max(120, 'users.error.nameLong'),
  email: z.string().trim().max(254, 'users.error.email').pipe(z.email('users.error.email')),
  role: z.enum(ROLES, 'users.error.role'),
});
export type NewAccountInput = z.infer<typeof newAccountSchema>;

export const roleSchema = z.object({ role: z.enum(ROLES, 'users.error.role') });
