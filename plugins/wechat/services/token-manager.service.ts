import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WechatCredential } from '../entities/credential.entity.js';
import { WechatConfigService, type WechatAccount } from './wechat-config.service.js';
import { WechatApiError } from './wechat-errors.js';

export type CredentialKind = 'access_token' | 'jsapi_ticket';

export class WechatNotConfiguredError extends Error {
  constructor() {
    super('The WeChat official account is not configured (AppID and AppSecret): see /admin/wechat');
    this.name = 'WechatNotConfiguredError';
  }
}

/** A fetched credential and its lifetime in seconds. */
export interface FetchedCredential {
  value: string;
  expiresIn: number;
}

const LEASE_MS = 30_000;
const WAIT_STEP_MS = 100;
const WAIT_MAX_MS = 12_000;

/**
 * Owns the life of the account's access_token and jsapi_ticket, shared by every app instance through
 * the database: one row per credential with a lease. Only the instance that wins the lease (a
 * conditional UPDATE … WHERE lease is free) asks WeChat for a new one — a refresh invalidates the
 * previous token — while the others keep using the current token or wait for the new one. Tokens are
 * refreshed ahead of expiry, and after WeChat refuses one (40001/42001/40014) it is replaced once:
 * `renew(rejected)` fetches only if the stored token is still the rejected one.
 */
@Injectable()
export class WechatTokenManager {
  private readonly logger = new Logger('WeChat');
  readonly instanceId = randomUUID();
  private readonly memo = new Map<string, { value: string; refreshAt: number; expiresAt: number }>();
  private ticketFetcher: (() => Promise<FetchedCredential>) | null = null;
  /** Fetches made by this instance (tests and the admin check). */
  readonly fetchCount: Record<CredentialKind, number> = { access_token: 0, jsapi_ticket: 0 };

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly config: WechatConfigService) {}

  /** The jsapi_ticket is fetched through the API client (which needs an access_token itself). */
  setTicketFetcher(fetcher: () => Promise<FetchedCredential>): void {
    this.ticketFetcher = fetcher;
  }

  accessToken(): Promise<string> {
    return this.get('access_token');
  }

  jsapiTicket(): Promise<string> {
    return this.get('jsapi_ticket');
  }

  /** WeChat refused `rejected`: a new access_token, fetched at most once however many callers saw the refusal. */
  renewAccessToken(rejected: string): Promise<string> {
    return this.get('access_token', rejected);
  }

  renewJsapiTicket(rejected: string): Promise<string> {
    return this.get('jsapi_ticket', rejected);
  }

  /**
   * The admin's credential check: asks WeChat for a token now (stable_token in normal mode, which does
   * not invalidate the current one) and stores it as the shared token.
   */
  async verify(): Promise<string> {
    this.memo.clear();
    const account = await this.config.account();
    if (!account.appId || !account.appSecret) throw new WechatNotConfiguredError();
    const name = `access_token:${account.appId}`;
    const row = await this.ds.getRepository(WechatCredential).findOneBy({ name });
    return this.get('access_token', (row && this.open(row)) ?? '\u0000none', false);
  }

  /** Forgets cached credentials (after the account changes). */
  reset(): void {
    this.memo.clear();
  }

  /** Refreshes what is due (the scheduled job): the access_token always, the ticket once it has been used. */
  async refreshDue(): Promise<void> {
    if (!(await this.config.isConfigured())) return;
    await this.accessToken();
    const { appId } = await this.config.account();
    const ticket = await this.ds.getRepository(WechatCredential).findOneBy({ name: `jsapi_ticket:${appId}` });
    if (ticket?.value) await this.jsapiTicket();
  }

  private async get(kind: CredentialKind, rejected?: string, forceWhenSame = true): Promise<string> {
    const account = await this.config.account();
    if (!account.appId || !account.appSecret) throw new WechatNotConfiguredError();
    const name = `${kind}:${account.appId}`;
    const memo = this.memo.get(name);
    if (memo && memo.value !== rejected && memo.refreshAt > Date.now()) return memo.value;
    const repo = this.ds.getRepository(WechatCredential);
    await this.ensureRow(name);
    const started = Date.now();
    for (;;) {
      const row = await repo.findOneByOrFail({ name });
      const current = this.open(row);
      const now = Date.now();
      if (current && current !== rejected && row.refreshAt && row.refreshAt.getTime() > now) return this.remember(name, current, row);
      if (await this.tryLease(name)) {
        try {
          // another instance may have refreshed between our read and our lease
          const again = await repo.findOneByOrFail({ name });
          const latest = this.open(again);
          if (latest && latest !== rejected && again.refreshAt && again.refreshAt.getTime() > Date.now()) {
            await this.release(name);
            return this.remember(name, latest, again);
          }
          const fetched = await this.fetch(kind, account, forceWhenSame && rejected !== undefined && latest === rejected);
          const fetchedAt = Date.now();
          const lifetime = Math.max(1, fetched.expiresIn) * 1000;
          const margin = Math.min(300_000, Math.floor(lifetime / 4));
          const expiresAt = new Date(fetchedAt + lifetime);
          const refreshAt = new Date(fetchedAt + lifetime - margin);
          await repo.createQueryBuilder().update(WechatCredential)
            .set({ value: this.config.sealer().seal(fetched.value), expiresAt, refreshAt, leaseOwner: null, leaseUntil: null, generation: () => 'generation + 1' })
            .where('name = :name AND lease_owner = :me', { name, me: this.instanceId })
            .execute();
          this.fetchCount[kind]++;
          this.logger.log(`WeChat ${kind} refreshed for ${account.appId} (valid ${fetched.expiresIn} s)`);
          this.memo.set(name, { value: fetched.value, refreshAt: refreshAt.getTime(), expiresAt: expiresAt.getTime() });
          return fetched.value;
        } catch (err) {
          await this.release(name);
          throw err;
        }
      }
      // someone else is refreshing: a token that has not expired (and was not refused) still works meanwhile
      if (current && current !== rejected && row.expiresAt && row.expiresAt.getTime() > now) return current;
      if (Date.now() - started > WAIT_MAX_MS) throw new Error(`timed out waiting for another instance to refresh the WeChat ${kind}`);
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
  }

  private remember(name: string, value: string, row: WechatCredential): string {
    this.memo.set(name, { value, refreshAt: row.refreshAt?.getTime() ?? 0, expiresAt: row.expiresAt?.getTime() ?? 0 });
    return value;
  }

  private open(row: WechatCredential): string | null {
    return row.value ? this.config.sealer().open(row.value) : null;
  }

  private async ensureRow(name: string): Promise<void> {
    const repo = this.ds.getRepository(WechatCredential);
    if (await repo.existsBy({ name })) return;
    // INSERT OR IGNORE / INSERT IGNORE: a concurrent instance may insert it first
    await repo.createQueryBuilder().insert().into(WechatCredential)
      .values({ name, value: null, expiresAt: null, refreshAt: null, leaseOwner: null, leaseUntil: null, generation: 0 })
      .orIgnore().updateEntity(false).execute();
  }

  /** The conditional UPDATE: exactly one instance gets a free (or lapsed) lease. */
  private async tryLease(name: string): Promise<boolean> {
    const now = new Date();
    const res = await this.ds.getRepository(WechatCredential).createQueryBuilder().update(WechatCredential)
      .set({ leaseOwner: this.instanceId, leaseUntil: new Date(now.getTime() + LEASE_MS) })
      .where('name = :name', { name })
      .andWhere('(lease_until IS NULL OR lease_until < :now)', { now })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  private async release(name: string): Promise<void> {
    await this.ds.getRepository(WechatCredential).createQueryBuilder().update(WechatCredential)
      .set({ leaseOwner: null, leaseUntil: null })
      .where('name = :name AND lease_owner = :me', { name, me: this.instanceId })
      .execute();
  }

  private async fetch(kind: CredentialKind, account: WechatAccount, force: boolean): Promise<FetchedCredential> {
    if (kind === 'jsapi_ticket') {
      if (!this.ticketFetcher) throw new Error('no jsapi_ticket fetcher registered');
      return this.ticketFetcher();
    }
    if (account.tokenApi === 'classic') {
      const q = new URLSearchParams({ grant_type: 'client_credential', appid: account.appId, secret: account.appSecret });
      return tokenAnswer(await getJson(`${account.apiBase}/cgi-bin/token?${q}`), 'cgi-bin/token');
    }
    const body = { grant_type: 'client_credential', appid: account.appId, secret: account.appSecret, force_refresh: force };
    return tokenAnswer(await getJson(`${account.apiBase}/cgi-bin/stable_token`, body), 'cgi-bin/stable_token');
  }
}

function tokenAnswer(data: Record<string, unknown>, api: string): FetchedCredential {
  if (typeof data.errcode === 'number' && data.errcode !== 0) throw new WechatApiError(data.errcode, String(data.errmsg ?? ''), api);
  if (typeof data.access_token !== 'string' || !data.access_token) throw new WechatApiError(-1, 'no access_token in the answer', api);
  return { value: data.access_token, expiresIn: Number(data.expires_in) || 7200 };
}

/** GET (or POST JSON) a WeChat API and read its JSON answer. */
export async function getJson(url: string, body?: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, body === undefined
      ? { signal: AbortSignal.timeout(10_000) }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`WeChat API unreachable (${new URL(url).host}): ${(err as Error).message}`);
  }
  const text = await res.text();
  try {
    const data = JSON.parse(text) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new Error(`WeChat API ${new URL(url).pathname} answered HTTP ${res.status} without JSON`);
}
