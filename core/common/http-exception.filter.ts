import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './errors.js';
import { ValidationFailedError } from './validation.js';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  errors?: Array<{ field: string; reasons: string[] }>;
}

/**
 * One error shape for the whole API. Storefront and admin pages (non-/api paths) get an HTML
 * error page through the `renderHtmlError` hook set by the theme module.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  static renderHtmlError?: (req: FastifyRequest, body: ErrorBody) => string;

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const wantsHtml = !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html') && HttpExceptionFilter.renderHtmlError;
    if (wantsHtml && HttpExceptionFilter.renderHtmlError) {
      void reply.status(body.statusCode).header('content-type', 'text/html; charset=utf-8').send(HttpExceptionFilter.renderHtmlError(req, body));
      return;
    }
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof ValidationFailedError) {
      return { statusCode: 400, code: exception.code, message: exception.message, field: exception.field, errors: exception.problems };
    }
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message, ...(exception.field ? { field: exception.field } : {}) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const message = typeof res === 'string' ? res : Array.isArray((res as { message?: unknown }).message) ? ((res as { message: string[] }).message).join('; ') : String((res as { message?: unknown }).message ?? exception.message);
      const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 400 ? 'bad_request' : 'http_error';
      return { statusCode: status, code, message };
    }
    const err = exception as { code?: string; statusCode?: number; message?: string };
    // Fastify's own errors (bad JSON body, body too large, wrong content type) are client errors.
    if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return { statusCode: err.statusCode, code: (err.code ?? 'bad_request').toLowerCase(), message: err.message ?? 'Bad request' };
    }
    if (exception instanceof QueryFailedError) {
      const driverCode = (exception as unknown as { driverError?: { code?: string } }).driverError?.code ?? '';
      if (driverCode === 'ER_DUP_ENTRY' || driverCode.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
        return { statusCode: 409, code: 'duplicate', message: 'A record with the same unique value already exists' };
      }
    }
    return { statusCode: 500, code: 'internal_error', message: 'Internal server error' };
  }
}
