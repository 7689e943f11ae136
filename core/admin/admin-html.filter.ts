import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { AdminRedirect, type AdminRequest, AdminSession } from './admin-session.js';
import { AdminViews } from './admin-views.js';

/**
 * Errors on admin HTML pages: redirects to the login page, and an admin-styled error page for
 * browsers. Clients that do not ask for HTML (scripts, tests) get the API's JSON error shape.
 */
@Injectable()
@Catch()
export class AdminHtmlFilter implements ExceptionFilter {
  private readonly logger = new Logger('Admin');
  private readonly json = new HttpExceptionFilter();

  constructor(private readonly views: AdminViews, private readonly session: AdminSession) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    if (exception instanceof AdminRedirect) {
      void reply.redirect(exception.location, req.method === 'GET' ? 302 : 303);
      return;
    }
    if (!(req.headers.accept ?? '').includes('text/html')) {
      this.json.catch(exception, host);
      return;
    }
    let status = 500;
    let code = 'internal_error';
    let message = '';
    if (exception instanceof DomainError) ({ status, code, message } = exception);
    else if (exception instanceof HttpException) {
      status = exception.getStatus();
      code = status === 404 ? 'not_found' : 'http_error';
      message = exception.message;
    } else {
      const e = exception as { statusCode?: number; code?: string; message?: string };
      if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
        status = e.statusCode;
        code = (e.code ?? 'bad_request').toLowerCase();
        message = e.message ?? '';
      }
    }
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const admin = (req as AdminRequest).adminUser ?? null;
    try {
      const headingKey = [400, 401, 403, 404, 409, 429, 500].includes(status) ? `error.${status}` : 'error.title';
      this.views.render(req, reply, 'error', { status, code, headingKey, message: status >= 500 ? '' : message }, { admin, csrf: admin ? this.session.csrfToken(req) : '', status, title: String(status) });
    } catch (err) {
      this.logger.error(`admin error page failed: ${(err as Error).message}`);
      void reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(`${status} ${message}`);
    }
  }
}
