import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { MemberSession } from '../../../core/auth/member-session.js';
import { ReferralBindingService } from '../services/referral-binding.service.js';

const REF_COOKIE = 'mall_ref';
const CODE = /^[A-Za-z0-9]{4,16}$/;

/**
 * Any page opened with ?ref=CODE carries a distributor's referral. A signed-in member is bound
 * (or remembered for the first paid order) at once; a visitor keeps the code in a cookie until they
 * sign in. Binding problems never block the page.
 */
@Injectable()
export class ReferralInterceptor implements NestInterceptor {
  constructor(private readonly session: MemberSession, private readonly bindings: ReferralBindingService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest & { cookies?: Record<string, string | undefined> }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const fromQuery = req.method === 'GET' ? (req.query as Record<string, unknown> | undefined)?.ref : undefined;
    const code = typeof fromQuery === 'string' && CODE.test(fromQuery) ? fromQuery.toUpperCase() : req.cookies?.[REF_COOKIE];
    if (code && CODE.test(code)) {
      const memberId = this.session.memberIdFrom(req);
      if (memberId) {
        await this.bindings.recordReferral(memberId, code, 'link').catch(() => undefined);
        if (req.cookies?.[REF_COOKIE]) void reply.clearCookie(REF_COOKIE, { path: '/' });
      } else if (fromQuery) {
        void reply.setCookie(REF_COOKIE, code, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 30 * 86400 });
      }
    }
    return next.handle();
  }
}
