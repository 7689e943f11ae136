import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Member } from '../../../core/customer/entities/member.entity.js';
import { Order } from '../../../core/order/entities/order.entity.js';
import type { DomainEvent, DomainEventType, EventSubscriber } from '../../../core/plugin/index.js';
import { WechatTemplateMessage, type TemplateMessageStatus } from '../entities/template-message.entity.js';
import { WechatApiClient, type TemplateData } from './wechat-api.client.js';
import { WechatConfigService, type TemplateKind } from './wechat-config.service.js';
import { PERMANENT_ERRORS, WechatApiError } from './wechat-errors.js';

export interface TemplateMessageRequest {
  kind: TemplateKind;
  /** Unique per notification ("order.paid:12"): a redelivered event never sends twice. */
  eventKey: string;
  memberId: number;
  /** A mall path ("/orders/…") or absolute URL the message opens. */
  link: string;
  data: TemplateData;
}

const money = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;
const chinaTime = (d: Date): string => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

/**
 * Template messages (模板消息) with an outbox: each notification is a row (visible in admin with its
 * status) and is sent from a durable event subscriber, after the order's transaction commits, never
 * inside the request. A temporary failure throws, so the event bus retries with backoff; a permanent
 * one (not following, wrong template id …) is marked failed; a kind without a template id is skipped
 * with a log line.
 */
@Injectable()
export class WechatTemplateMessages {
  private readonly logger = new Logger('WeChat');

  constructor(@InjectDataSource() private readonly ds: DataSource, private readonly config: WechatConfigService, private readonly api: WechatApiClient) {}

  async deliver(req: TemplateMessageRequest): Promise<WechatTemplateMessage> {
    const repo = this.ds.getRepository(WechatTemplateMessage);
    let row = await repo.findOneBy({ eventKey: req.eventKey });
    if (!row) {
      const link = req.link.startsWith('/') ? `${this.config.publicUrl}${req.link}` : req.link;
      await repo.createQueryBuilder().insert().into(WechatTemplateMessage)
        .values({ eventKey: req.eventKey, kind: req.kind, memberId: req.memberId, openid: null, templateId: null, payload: JSON.stringify({ url: link, data: req.data }), status: 'pending', attempts: 0, lastError: null, msgid: null, sentAt: null })
        .orIgnore().updateEntity(false).execute(); // a concurrent delivery may have inserted it
      row = await repo.findOneByOrFail({ eventKey: req.eventKey });
    }
    if (row.status !== 'pending') return row;
    const skip = async (reason: string) => {
      this.logger.log(`WeChat template message ${req.eventKey} skipped: ${reason}`);
      await repo.update({ id: row!.id }, { status: 'skipped', lastError: reason.slice(0, 500) });
      return repo.findOneByOrFail({ id: row!.id });
    };
    if (!(await this.config.isConfigured())) return skip('the official account is not configured');
    const templateId = (await this.config.content()).templates[req.kind]?.trim();
    if (!templateId) return skip(`no template id configured for ${req.kind} (admin → 公众号 → 模板消息)`);
    const member = await this.ds.getRepository(Member).findOneBy({ id: req.memberId });
    if (!member || member.source !== 'wechat' || !member.openid) return skip('the member did not sign in through WeChat (no openid)');
    const payload = JSON.parse(row.payload) as { url: string; data: TemplateData };
    await repo.update({ id: row.id }, { openid: member.openid, templateId, attempts: row.attempts + 1 });
    try {
      const { msgid } = await this.api.sendTemplate(member.openid, templateId, payload.url, payload.data);
      await repo.update({ id: row.id }, { status: 'sent', msgid, sentAt: new Date(), lastError: null });
    } catch (err) {
      const message = (err as Error).message.slice(0, 500);
      if (err instanceof WechatApiError && PERMANENT_ERRORS.has(err.errcode)) {
        await repo.update({ id: row.id }, { status: 'failed', lastError: message });
        this.logger.warn(`WeChat template message ${req.eventKey} failed for good: ${message}`);
      } else {
        await repo.update({ id: row.id }, { lastError: message });
        throw err; // the event bus retries with backoff
      }
    }
    return repo.findOneByOrFail({ id: row.id });
  }

  /** The latest deliveries, newest first, optionally only one status and/or kind. */
  recent(limit = 50, filter: { status?: TemplateMessageStatus; kind?: string; memberId?: number } = {}): Promise<WechatTemplateMessage[]> {
    const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.memberId ? { memberId: filter.memberId } : {}) };
    return this.ds.getRepository(WechatTemplateMessage).find({ where, order: { id: 'DESC' }, take: limit });
  }
}

/** order.paid and order.shipped → the buyer's template message. */
@Injectable()
export class OrderNotificationsSubscriber implements EventSubscriber<'order.paid' | 'order.shipped'> {
  readonly name = 'wechat:order-notifications';
  readonly events = ['order.paid', 'order.shipped'] as const;

  constructor(private readonly messages: WechatTemplateMessages) {}

  async handle(event: DomainEvent<'order.paid' | 'order.shipped'>): Promise<void> {
    const at = chinaTime(event.occurredAt);
    if (event.type === 'order.paid') {
      const p = event.payload as DomainEvent<'order.paid'>['payload'];
      await this.messages.deliver({
        kind: 'orderPaid', eventKey: `order.paid:${p.orderId}`, memberId: p.memberId, link: `/orders/${p.orderNo}`,
        data: { first: { value: '您的订单已支付成功' }, keyword1: { value: p.orderNo }, keyword2: { value: money(p.paidTotal) }, keyword3: { value: at }, remark: { value: '我们会尽快为您发货，点击查看订单详情。' } },
      });
    } else {
      const p = event.payload as DomainEvent<'order.shipped'>['payload'];
      await this.messages.deliver({
        kind: 'orderShipped', eventKey: `order.shipped:${p.orderId}`, memberId: p.memberId, link: `/orders/${p.orderNo}`,
        data: { first: { value: '您的订单已发货' }, keyword1: { value: p.orderNo }, keyword2: { value: p.carrier }, keyword3: { value: p.trackingNo }, keyword4: { value: at }, remark: { value: '点击查看订单详情。' } },
      });
    }
  }
}

/*
 * Events of other plugins. The wechat plugin imports neither group-buy nor distribution: their payloads
 * are restated here (what those plugins declare on DomainEventMap), and subscribing to an event type no
 * enabled plugin publishes is harmless — no delivery is ever written for it.
 */
interface GroupFormedPayload { teamId: number; activityId: number; virtual: boolean; memberIds: number[]; orderIds: number[] }
interface CommissionEarnedPayload { distributorMemberId: number; orderId: number; orderNo: string; amount: number; levels: number[] }
interface WithdrawalPaidPayload { distributorMemberId: number; withdrawalNo: string; amount: number; netAmount: number }

const GROUP_FORMED = 'group-buy.formed' as DomainEventType;
const COMMISSION_EARNED = 'distribution.commission_earned' as DomainEventType;
const WITHDRAWAL_PAID = 'distribution.withdrawal_paid' as DomainEventType;

/** Sends every request; a temporary failure of one does not hold back the others, and the event is retried (sent ones are not sent again). */
async function deliverAll(messages: WechatTemplateMessages, requests: TemplateMessageRequest[]): Promise<void> {
  const errors: Error[] = [];
  for (const r of requests) {
    try {
      await messages.deliver(r);
    } catch (err) {
      errors.push(err as Error);
    }
  }
  if (errors.length) throw errors[0];
}

/** group-buy.formed → every paid member of the team. */
@Injectable()
export class GroupBuyNotificationsSubscriber implements EventSubscriber {
  readonly name = 'wechat:group-buy-notifications';
  readonly events = [GROUP_FORMED] as const;

  constructor(private readonly messages: WechatTemplateMessages, @InjectDataSource() private readonly ds: DataSource) {}

  async handle(event: DomainEvent): Promise<void> {
    const p = event.payload as unknown as GroupFormedPayload;
    const orders = p.orderIds?.length ? await this.ds.getRepository(Order).find({ select: { id: true, orderNo: true, memberId: true }, where: { id: In(p.orderIds) } }) : [];
    const at = chinaTime(event.occurredAt);
    const memberIds = [...new Set(p.memberIds ?? [])];
    await deliverAll(this.messages, memberIds.map((memberId) => {
      const orderNo = orders.find((o) => o.memberId === memberId)?.orderNo ?? '';
      return {
        kind: 'groupFormed' as const, eventKey: `group-buy.formed:${p.teamId}:${memberId}`, memberId, link: orderNo ? `/orders/${orderNo}` : `/group-buy/teams/${p.teamId}`,
        data: { first: { value: '拼团成功！' }, keyword1: { value: orderNo || `#${p.teamId}` }, keyword2: { value: `${memberIds.length} 人成团` }, keyword3: { value: at }, remark: { value: '我们会尽快为您发货，点击查看订单详情。' } },
      };
    }));
  }
}

/** distribution.commission_earned and distribution.withdrawal_paid → the distributor. */
@Injectable()
export class DistributionNotificationsSubscriber implements EventSubscriber {
  readonly name = 'wechat:distribution-notifications';
  readonly events = [COMMISSION_EARNED, WITHDRAWAL_PAID] as const;

  constructor(private readonly messages: WechatTemplateMessages) {}

  async handle(event: DomainEvent): Promise<void> {
    const at = chinaTime(event.occurredAt);
    if (event.type === COMMISSION_EARNED) {
      const p = event.payload as unknown as CommissionEarnedPayload;
      await this.messages.deliver({
        kind: 'commissionEarned', eventKey: `distribution.commission_earned:${event.id}`, memberId: p.distributorMemberId, link: '/distribution/orders',
        data: { first: { value: '您有一笔新的佣金' }, keyword1: { value: p.orderNo }, keyword2: { value: money(p.amount) }, keyword3: { value: at }, remark: { value: '订单完成且退款期结束后即可提现，点击查看推广订单。' } },
      });
    } else if (event.type === WITHDRAWAL_PAID) {
      const p = event.payload as unknown as WithdrawalPaidPayload;
      await this.messages.deliver({
        kind: 'withdrawalPaid', eventKey: `distribution.withdrawal_paid:${p.withdrawalNo}`, memberId: p.distributorMemberId, link: '/distribution/withdraw',
        data: { first: { value: '您的提现已到账' }, keyword1: { value: p.withdrawalNo }, keyword2: { value: money(p.amount) }, keyword3: { value: money(p.netAmount) }, keyword4: { value: at }, remark: { value: '点击查看提现记录。' } },
      });
    }
  }
}
