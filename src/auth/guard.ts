// Who is logged in, and the role checks every /admin page and action goes through (on the server).
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import type { Role, User } from '../db/schema.js';
import { ForbiddenError } from '../web/errors.js';
import { findUserById } from './users.js';
import { sessionIfAny } from '../web/sessions.js';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: User;
    }
  }
}

/** Loads the logged-in, active user (if any) into req.user and res.locals.user. */
export function loadUser(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = sessionIfAny(req);
    const id = session?.userId;
    if (session && id) {
      const user = await findUserById(ctx.db, id);
      if (user && user.active) {
        req.user = user;
        res.locals.user = user;
      } else {
        delete session.userId;
      }
    }
    next();
  };
}

/** Named policies: one answer to "who may do this?". */
export const can = {
  useAdmin: (u: User | undefined): u is User => !!u && u.active === 1,
  manageAccounts: (u: User | undefined) => !!u && u.active === 1 && u.role === 'admin',
  manageSettings: (u: User | undefined) => !!u && u.active === 1 && u.role === 'admin',
  viewAuditLog: (u: User | undefined) => !!u && u.active === 1 && u.role === 'admin',
  viewOutbox: (u: User | undefined) => !!u && u.active === 1 && u.role === 'admin',
  manageData: (u: User | undefined) => !!u && u.active === 1 && u.role === 'admin',
};

/** Anonymous: redirect to /login (GET) or 403; wrong role: 403; one-time password: to /admin/password. */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return next(new ForbiddenError());
    }
    if (roles.length && !roles.includes(req.user.role)) return next(new ForbiddenError());
    // A one-time password must be replaced before anything else, whatever the method: every other staff
    // route (a GET or a POST) goes to the password page and does nothing. Logout is not under /admin.
    if (req.user.must_change_password === 1 && !/^\/admin\/password\/?(?:[?#]|$)/.test(req.originalUrl)) {
      return res.redirect(303, '/admin/password');
    }
    next();
  };
}
