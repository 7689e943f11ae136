import { createParamDecorator, type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnauthorizedError } from '../common/errors.js';
import { Member } from '../customer/entities/member.entity.js';
import { signValue, verifySignedValue } from './signed-cookie.js';

export const MEMBER_COOKIE = 'mall_member';
const MAX_AGE_SECONDS = 30 * 24 * 3600;

export type MallRequest = FastifyRequest & { member?: Member | null; cookies: Record<string, string | undefined> };

@Injectable()
export class MemberSession {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, @InjectDataSource() private readonly ds: DataSource) {}

  signIn(reply: FastifyReply, memberId: number): void {
    void reply.setCookie(MEMBER_COOKIE, signValue(this.config.sessionSecret, 'member', String(memberId)), {
      path: '/', httpOnly: true, sameSite: 'lax', secure: this.config.publicUrl.startsWith('https://'), maxAge: MAX_AGE_SECONDS,
    });
  }

  signOut(reply: FastifyReply): void {
    void reply.clearCookie(MEMBER_COOKIE, { path: '/' });
  }

  memberIdFrom(req: FastifyRequest): number | null {
    const cookies = (req as MallRequest).cookies ?? {};
    const value = verifySignedValue(this.config.sessionSecret, 'member', cookies[MEMBER_COOKIE], MAX_AGE_SECONDS);
    return value && /^\d+$/.test(value) ? Number(value) : null;
  }

  /** The signed-in member, loaded once per request; null for visitors. */
  async current(req: FastifyRequest): Promise<Member | null> {
    const r = req as MallRequest;
    if (r.member !== undefined) return r.member;
    const id = this.memberIdFrom(req);
    r.member = id ? await this.ds.getRepository(Member).findOneBy({ id }) : null;
    return r.member;
  }
}

/** Routes that need a signed-in member answer 401 otherwise. */
@Injectable()
export class MemberGuard implements CanActivate {
  constructor(private readonly session: MemberSession) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!(await this.session.current(req))) throw new UnauthorizedError('Sign in first', 'sign_in_required');
    return true;
  }
}

/** The member loaded by MemberGuard. */
export const CurrentMember = createParamDecorator((_data: unknown, ctx: ExecutionContext): Member => {
  const member = ctx.switchToHttp().getRequest<MallRequest>().member;
  if (!member) throw new UnauthorizedError('Sign in first', 'sign_in_required');
  return member;
});
