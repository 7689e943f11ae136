import { createParamDecorator, type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ForbiddenError, UnauthorizedError } from '../common/errors.js';
import { signValue, verifySignedValue } from '../auth/signed-cookie.js';
import { AdminUsersService } from './admin-users.service.js';
import type { AdminUser } from './entities/admin-user.entity.js';

export const ADMIN_COOKIE = 'mall_admin';
/** Pre-session nonce that lets the login form carry a CSRF token before anyone is signed in. */
export const ADMIN_LOGIN_COOKIE = 'mall_admin_login';
export const ADMIN_SESSION_MAX_AGE = 12 * 3600;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type AdminRequest = FastifyRequest & { adminUser?: AdminUser | null; cookies: Record<string, string | undefined>; body?: unknown };

/** Thrown on admin HTML routes when the visitor must go elsewhere first (the login page). */
export class AdminRedirect extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`);
    this.name = 'AdminRedirect';
  }
}

/**
 * Admin sessions: a signed, httpOnly, SameSite=Strict cookie `mall_admin` holding
 * `<adminId>-<password fingerprint>-<random nonce>`, signed with purpose "admin" and valid 12 hours. The fingerprint
 * makes every session of an admin invalid when their password hash changes.
 * CSRF token = HMAC(sessionSecret, "csrf:" + cookie value): stateless, per session, never in a URL.
 */
@Injectable()
export class AdminSession {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly users: AdminUsersService) {}

  private get secure(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  /** Sets the session cookie; returns the CSRF token that goes with it. */
  signIn(reply: FastifyReply, user: AdminUser): string {
    const nonce = randomBytes(9).toString('hex');
    const value = signValue(this.config.sessionSecret, 'admin', `${user.id}-${fingerprint(user.passwordHash)}-${nonce}`);
    void reply.setCookie(ADMIN_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.secure, maxAge: ADMIN_SESSION_MAX_AGE });
    void reply.clearCookie(ADMIN_LOGIN_COOKIE, { path: '/admin' });
    return this.csrfFor(value);
  }

  signOut(reply: FastifyReply): void {
    void reply.clearCookie(ADMIN_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.secure });
  }

  /** The signed-in admin (loaded once per request), or null. */
  async current(req: FastifyRequest): Promise<AdminUser | null> {
    const r = req as AdminRequest;
    if (r.adminUser !== undefined) return r.adminUser;
    r.adminUser = null;
    const value = verifySignedValue(this.config.sessionSecret, 'admin', r.cookies?.[ADMIN_COOKIE], ADMIN_SESSION_MAX_AGE);
    const m = value ? /^(\d{1,10})-([0-9a-f]{16})-[0-9a-f]{18}$/.exec(value) : null;
    if (m) {
      const user = await this.users.byId(Number(m[1]));
      if (user && fingerprint(user.passwordHash) === m[2]) r.adminUser = user;
    }
    return r.adminUser;
  }

  /** CSRF token of the current session ('' when signed out). */
  csrfToken(req: FastifyRequest): string {
    const value = (req as AdminRequest).cookies?.[ADMIN_COOKIE];
    return value ? this.csrfFor(value) : '';
  }

  csrfFor(cookieValue: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(`csrf:${cookieValue}`).digest('base64url');
  }

  /** True when the request presents the session's token in the `_csrf` form field or the `x-csrf-token` header. */
  csrfValid(req: FastifyRequest): boolean {
    const value = (req as AdminRequest).cookies?.[ADMIN_COOKIE];
    return !!value && sameToken(presentedToken(req), this.csrfFor(value));
  }

  // ---- the login form's pre-session token ----

  /** Token for the login form; sets the nonce cookie when there is none yet. */
  loginCsrfToken(req: FastifyRequest, reply: FastifyReply): string {
    let nonce = (req as AdminRequest).cookies?.[ADMIN_LOGIN_COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      nonce = randomBytes(18).toString('base64url');
      void reply.setCookie(ADMIN_LOGIN_COOKIE, nonce, { path: '/admin', httpOnly: true, sameSite: 'strict', secure: this.secure, maxAge: 3600 });
    }
    return this.csrfFor(`login:${nonce}`);
  }

  loginCsrfValid(req: FastifyRequest): boolean {
    const nonce = (req as AdminRequest).cookies?.[ADMIN_LOGIN_COOKIE];
    return !!nonce && sameToken(presentedToken(req), this.csrfFor(`login:${nonce}`));
  }
}

function fingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('hex').slice(0, 16);
}

function presentedToken(req: FastifyRequest): string {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string' && header) return header;
  const body = (req as AdminRequest).body;
  const field = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  return typeof field === 'string' ? field : '';
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/**
 * Every admin route: a signed-in admin (HTML → redirect to /admin/login, API → 401 JSON), and for
 * unsafe methods a valid CSRF token (403 csrf_failed). Nothing runs before both checks pass.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly session: AdminSession) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const admin = await this.session.current(req);
    if (!admin) {
      if (isApiRequest(req)) throw new UnauthorizedError('Sign in to the admin first (POST /api/v1/admin/session)', 'admin_sign_in_required');
      const next = req.method === 'GET' ? req.url : '/admin';
      throw new AdminRedirect(`/admin/login?next=${encodeURIComponent(next)}`);
    }
    if (UNSAFE.has(req.method) && !this.session.csrfValid(req)) {
      throw new ForbiddenError('The CSRF token is missing or wrong: reload the page and try again (API: send the x-csrf-token header)', 'csrf_failed');
    }
    return true;
  }
}

/** The admin loaded by AdminGuard. */
export const CurrentAdmin = createParamDecorator((_data: unknown, ctx: ExecutionContext): AdminUser => {
  const admin = ctx.switchToHttp().getRequest<AdminRequest>().adminUser;
  if (!admin) throw new UnauthorizedError('Sign in to the admin first', 'admin_sign_in_required');
  return admin;
});

/** Only same-site admin paths, so the login page cannot be used as an open redirect; returned URL-encoded. */
export function safeAdminNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/admin(?:[/?#][^\s\\]*)?$/.test(next) || next.startsWith('//')) return '/admin';
  try {
    const u = new URL(next, 'http://admin.local');
    if (u.origin !== 'http://admin.local' || !/^\/admin(\/|$)/.test(u.pathname)) return '/admin';
    return `${u.pathname}${u.search}`;
  } catch {
    return '/admin';
  }
}
