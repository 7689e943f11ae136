import { type CallHandler, Controller, type ExecutionContext, Get, Inject, Injectable, type NestInterceptor, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, of } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../../core/config/app-config.js';
import { signValue, verifySignedValue } from '../../../core/auth/signed-cookie.js';
import { MemberSession } from '../../../core/plugin/index.js';
import { safeNext } from '../../../core/storefront/storefront.controller.js';
import { WechatOAuthService, type OAuthScope } from '../services/oauth.service.js';
import { WechatConfigService } from '../services/wechat-config.service.js';
import { WechatApiError } from '../services/wechat-errors.js';

const STATE_COOKIE = 'wechat_oauth';
const STATE_MAX_AGE = 600;

interface OAuthState { s: string; n: string; sc: OAuthScope; r: number; p?: 1 }

export function isWechatBrowser(req: FastifyRequest): boolean {
  return /MicroMessenger/i.test(String(req.headers['user-agent'] ?? ''));
}

/**
 * Shoppers inside WeChat sign in by web OAuth: /wechat/oauth/start?next=… sends the browser to the
 * consent page (silent snsapi_base first), /wechat/oauth/callback exchanges the one-time code and
 * signs the member in by openid, creating them on the first visit; when the member has no nickname
 * yet and the merchant wants profiles, it asks once more with snsapi_userinfo.
 */
@ApiExcludeController()
@Controller('wechat/oauth')
export class WechatOAuthController {
  constructor(
    private readonly oauth: WechatOAuthService,
    private readonly config: WechatConfigService,
    private readonly session: MemberSession,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
  ) {}

  @Get('start')
  async start(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string, @Query('scope') scope?: string) {
    const target = safeNext(next);
    if (!(await this.config.isConfigured())) return void reply.redirect(`/sign-in?next=${encodeURIComponent(target)}`, 302);
    await this.toConsent(reply, { s: this.oauth.newState(), n: target, sc: scope === 'snsapi_userinfo' ? 'snsapi_userinfo' : 'snsapi_base', r: 0 });
  }

  @Get('callback')
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('code') code?: string, @Query('state') stateParam?: string) {
    const state = this.readState(req);
    if (!state || !stateParam || state.s !== stateParam) {
      // an old or foreign callback: start again (never sign in without our own state)
      return void reply.redirect(`/wechat/oauth/start?next=${encodeURIComponent(state?.n ?? '/')}`, 302);
    }
    if (!code || !/^[A-Za-z0-9_-]{1,128}$/.test(code)) return void reply.redirect(state.n, 302); // the user declined
    try {
      const { member, scope } = await this.oauth.memberForCode(code);
      this.session.signIn(reply, member.id);
      const content = await this.config.content();
      if (scope === 'snsapi_base' && !member.nickname && content.askProfile && !state.p) {
        return this.toConsent(reply, { s: this.oauth.newState(), n: state.n, sc: 'snsapi_userinfo', r: 0, p: 1 });
      }
      // the state cookie stays until it expires: a reload of this page then meets "code been used" (40163) and lands on `next`
      return void reply.redirect(state.n, 302);
    } catch (err) {
      if (err instanceof WechatApiError && (err.errcode === 40163 || err.errcode === 40029)) {
        // code already used (a reload of this page) or expired: fine if already signed in, else ask once more
        if (this.session.memberIdFrom(req)) return void reply.redirect(state.n, 302);
        if (state.r < 1) return this.toConsent(reply, { ...state, s: this.oauth.newState(), r: state.r + 1 });
      }
      throw err;
    }
  }

  private async toConsent(reply: FastifyReply, state: OAuthState): Promise<void> {
    const url = await this.oauth.authorizeUrl(state.sc, state.s);
    void reply.setCookie(STATE_COOKIE, signValue(this.app.sessionSecret, 'wechat-oauth', Buffer.from(JSON.stringify(state)).toString('base64url')), {
      path: '/wechat/oauth', httpOnly: true, sameSite: 'lax', secure: this.app.publicUrl.startsWith('https://'), maxAge: STATE_MAX_AGE,
    });
    void reply.redirect(url, 302);
  }

  private readState(req: FastifyRequest): OAuthState | null {
    const raw = verifySignedValue(this.app.sessionSecret, 'wechat-oauth', (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[STATE_COOKIE], STATE_MAX_AGE);
    if (!raw) return null;
    try {
      const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as OAuthState;
      return typeof v.s === 'string' && typeof v.n === 'string' ? { ...v, n: safeNext(v.n), r: Number(v.r) || 0 } : null;
    } catch {
      return null;
    }
  }
}

/**
 * Inside WeChat, a page that needs a member sends the visitor to /sign-in?next=…; for a WeChat
 * browser (MicroMessenger user agent) this interceptor turns that into web OAuth instead of the
 * sandbox sign-in page — no change to core's pages needed.
 */
@Injectable()
export class WechatSignInInterceptor implements NestInterceptor {
  constructor(private readonly config: WechatConfigService, private readonly session: MemberSession) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.method !== 'GET' || !isWechatBrowser(req)) return next.handle();
    const path = req.url.split('?')[0];
    if (path !== '/sign-in' || this.session.memberIdFrom(req) || !(await this.config.isConfigured())) return next.handle();
    const nextParam = (req.query as Record<string, unknown> | undefined)?.next;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.redirect(`/wechat/oauth/start?next=${encodeURIComponent(safeNext(typeof nextParam === 'string' ? nextParam : undefined))}`, 302);
    return of(undefined);
  }
}
