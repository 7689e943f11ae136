import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Request-level protections that apply before any controller:
 * - JSON API writes must be sent as application/json. Browsers cannot send that cross-site without
 *   a CORS preflight (which we never grant), so together with SameSite=Lax cookies this closes CSRF
 *   on the shopper API. Admin forms carry their own CSRF token.
 * - Security headers on every response.
 */
export function registerHttpGuards(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'strict-origin-when-cross-origin').header('x-frame-options', 'SAMEORIGIN');
    if (req.url.startsWith('/api/') && UNSAFE.has(req.method)) {
      const type = String(req.headers['content-type'] ?? '');
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (hasBody && !type.toLowerCase().startsWith('application/json')) {
        void reply.status(415).send({ statusCode: 415, code: 'unsupported_media_type', message: 'send the body as application/json' });
        return reply;
      }
    }
  });
}
