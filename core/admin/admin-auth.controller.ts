import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { NotFoundError } from '../common/errors.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminGuard, AdminSession, safeAdminNext } from './admin-session.js';
import { AdminHtmlFilter } from './admin-html.filter.js';
import { ADMIN_ASSETS, AdminViews } from './admin-views.js';
import { field, type FormBody } from './admin-forms.js';
import { LoginThrottle, LoginThrottledError } from './login-throttle.js';

/** Admin sign-in and sign-out pages, and the admin's own CSS/JS. */
@ApiExcludeController()
@Controller('admin')
@UseFilters(AdminHtmlFilter)
export class AdminAuthController {
  constructor(
    private readonly views: AdminViews,
    private readonly session: AdminSession,
    private readonly users: AdminUsersService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Get('login')
  async loginPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    if (await this.session.current(req)) {
      void reply.redirect(safeAdminNext(next), 302);
      return;
    }
    this.renderLogin(req, reply, { next: safeAdminNext(next), email: '' });
  }

  @Post('login')
  async login(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const email = field(body, 'email').trim().slice(0, 120);
    const password = field(body, 'password');
    const next = safeAdminNext(field(body, 'next'));
    const t = this.views.translator(this.views.locale(req));
    if (!this.session.loginCsrfValid(req)) {
      return this.renderLogin(req, reply, { next, email, error: t('login.expired'), code: 'csrf_failed' }, 403);
    }
    if (!email || !password) {
      return this.renderLogin(req, reply, { next, email, error: t('login.missing'), errorField: !email ? 'email' : 'password', code: 'validation_failed' }, 400);
    }
    try {
      this.throttle.check(email);
    } catch (err) {
      if (!(err instanceof LoginThrottledError)) throw err;
      void reply.header('retry-after', String(err.retryAfterSeconds));
      return this.renderLogin(req, reply, { next, email, error: t('login.throttled', { minutes: Math.ceil(err.retryAfterSeconds / 60) }), code: err.code }, 429);
    }
    const user = await this.users.authenticate(email, password);
    if (!user) {
      this.throttle.fail(email);
      return this.renderLogin(req, reply, { next, email, error: t('login.failed'), code: 'invalid_credentials' }, 401);
    }
    this.throttle.succeed(email);
    this.session.signIn(reply, user);
    void reply.redirect(next, 303);
  }

  @Post('logout')
  @UseGuards(AdminGuard)
  logout(@Res() reply: FastifyReply) {
    this.session.signOut(reply);
    void reply.redirect('/admin/login?ok=signed_out', 303);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const file = this.views.assetFile(name);
    if (!file) throw new NotFoundError('asset', name);
    const versioned = typeof (req.query as Record<string, unknown>).v === 'string';
    void reply.header('content-type', ADMIN_ASSETS[name]).header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache').send(createReadStream(file));
  }

  private renderLogin(req: FastifyRequest, reply: FastifyReply, data: { next: string; email: string; error?: string; errorField?: string; code?: string }, status = 200): void {
    const csrf = this.session.loginCsrfToken(req, reply);
    if (data.code) void reply.header('x-error-code', data.code);
    this.views.render(req, reply, 'login', data, { csrf, status, bare: true, title: 'login' });
  }
}
