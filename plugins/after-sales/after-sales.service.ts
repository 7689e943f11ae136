import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, QueryFailedError, type EntityManager } from 'typeorm';
import { BadInputError, ConflictError, DomainError, InjectPluginSettings, NotFoundError, TransactionRunner, type PluginSettings } from '../../core/plugin/index.js';
import { businessNumber } from '../../core/common/numbers.js';
import { Order } from '../../core/order/entities/order.entity.js';
import { OrderLine } from '../../core/order/entities/order-line.entity.js';
import { Refund } from '../../core/payment/entities/refund.entity.js';
import { PaymentService } from '../../core/payment/payment.service.js';
import { AfterSalesEvent } from './entities/after-sales-event.entity.js';
import { AfterSalesLine } from './entities/after-sales-line.entity.js';
import { AfterSalesRequest, OPEN_STATUSES, type AfterSalesStatus, type AfterSalesType } from './entities/after-sales-request.entity.js';
import { CAN, PLUGIN_ID, REASONS, stepsOf, type AfterSalesSettings } from './after-sales.rules.js';

const REFUNDABLE_ORDER = ['paid', 'shipped', 'completed'];
const HOUR = 3_600_000;

export interface CreateRequest {
  orderNo: string;
  type: AfterSalesType;
  reasonCode: string;
  reasonText?: string;
  photos?: string[];
  /** Omitted: every line with something left to refund, in full. */
  items?: Array<{ lineId: number; amount?: number; quantity?: number }>;
}

export interface RequestView {
  requestNo: string;
  orderNo: string;
  memberId: number;
  type: AfterSalesType;
  status: AfterSalesStatus;
  isOpen: boolean;
  reasonCode: string;
  reasonText: string;
  photos: string[];
  amount: number;
  rejectReason: string | null;
  refundNo: string | null;
  refund: { refundNo: string; amount: number; status: string; providerRefundId: string | null } | null;
  returnCarrier: string | null;
  returnTrackingNo: string | null;
  returnAddress: string | null;
  dueAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  lines: Array<{ orderLineId: number; title: string; amount: number; quantity: number }>;
  timeline: Array<{ status: AfterSalesStatus; actor: string; note: string; at: Date }>;
  steps: Array<{ status: AfterSalesStatus; done: boolean }>;
  actions: { cancel: boolean; shipReturn: boolean; approve: boolean; reject: boolean; receive: boolean };
}

export interface EligibleLine {
  id: number;
  title: string;
  specText: string;
  imageUrl: string | null;
  quantity: number;
  payableTotal: number;
  refundedTotal: number;
  refundable: number;
  openRequestNo: string | null;
}

/**
 * The after-sales desk (售后): buyer requests on order lines, the merchant's decisions, and refunds
 * through core's PaymentService.refundAmounts — so it works with any payment provider. Every status
 * change is a conditional update plus a timeline row, in one transaction.
 */
@Injectable()
export class AfterSalesService {
  private readonly logger = new Logger('AfterSales');
  private readonly tx: TransactionRunner;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly payments: PaymentService,
    @InjectPluginSettings(PLUGIN_ID) readonly settings: PluginSettings<AfterSalesSettings>,
  ) {
    this.tx = new TransactionRunner(ds);
  }

  // ------------------------------------------------------------------ buyer

  /** The order's lines with what each can still get back, and any open request per line. */
  async eligibility(memberId: number, orderNo: string): Promise<{ order: Order; lines: EligibleLine[]; canApply: boolean; canReturn: boolean }> {
    const order = await this.ds.getRepository(Order).findOneBy({ orderNo, memberId });
    if (!order) throw new NotFoundError('order', orderNo, 'orderNo');
    const lines = await this.ds.getRepository(OrderLine).find({ where: { orderId: order.id }, order: { id: 'ASC' } });
    const open = lines.length ? await this.ds.getRepository(AfterSalesLine).findBy({ openLineId: In(lines.map((l) => l.id)) }) : [];
    const reqs = open.length ? await this.ds.getRepository(AfterSalesRequest).findBy({ id: In(open.map((o) => o.requestId)) }) : [];
    const out = lines.map((l) => {
      const o = open.find((x) => x.openLineId === l.id);
      return { id: l.id, title: l.title, specText: l.specText, imageUrl: l.imageUrl, quantity: l.quantity, payableTotal: l.payableTotal, refundedTotal: l.refundedTotal, refundable: Math.max(0, l.payableTotal - l.refundedTotal), openRequestNo: o ? (reqs.find((r) => r.id === o.requestId)?.requestNo ?? null) : null };
    });
    const canApply = REFUNDABLE_ORDER.includes(order.status) && out.some((l) => l.refundable > 0 && !l.openRequestNo);
    return { order, lines: out, canApply, canReturn: canApply && order.status !== 'paid' };
  }

  async create(memberId: number, input: CreateRequest): Promise<RequestView> {
    if (!(REASONS as readonly string[]).includes(input.reasonCode)) throw new BadInputError('reasonCode', 'choose a reason from the list', 'invalid_reason');
    const reasonText = (input.reasonText ?? '').trim();
    if (input.reasonCode === 'other' && !reasonText) throw new BadInputError('reasonText', 'describe the problem when the reason is "other"', 'reason_text_required');
    const { order, lines } = await this.eligibility(memberId, input.orderNo);
    if (!REFUNDABLE_ORDER.includes(order.status)) throw new ConflictError('order_not_eligible', `order ${order.orderNo} is ${order.status}: after-sales needs a paid order`, 'orderNo');
    if (input.type === 'return_and_refund' && order.status === 'paid') throw new ConflictError('not_shipped', 'the goods have not shipped yet: ask for a refund only', 'type');
    const wanted: Array<{ lineId: number; amount?: number; quantity?: number }> = input.items ?? lines.filter((l) => l.refundable > 0).map((l) => ({ lineId: l.id }));
    if (!wanted.length) throw new ConflictError('nothing_to_refund', `order ${order.orderNo} has nothing left to refund`, 'items');
    const seen = new Set<number>();
    const chosen = wanted.map((it, i) => {
      const line = lines.find((l) => l.id === it.lineId);
      if (!line) throw new BadInputError(`items.${i}.lineId`, `order ${order.orderNo} has no line ${it.lineId}`, 'unknown_line');
      if (seen.has(line.id)) throw new BadInputError(`items.${i}.lineId`, `line ${line.id} is listed twice`, 'duplicate_line');
      seen.add(line.id);
      if (line.refundable <= 0) throw new ConflictError('nothing_to_refund', `line ${line.id} (${line.title}) is already refunded in full`, `items.${i}.amount`);
      if (line.openRequestNo) throw new ConflictError('request_open', `line ${line.id} (${line.title}) already has an open request ${line.openRequestNo}`, `items.${i}.lineId`);
      const amount = it.amount ?? line.refundable;
      if (amount > line.refundable) throw new BadInputError(`items.${i}.amount`, `line ${line.id} can get back at most ${line.refundable} fen (paid ${line.payableTotal}, refunded ${line.refundedTotal})`, 'amount_exceeds_line');
      const quantity = it.quantity ?? line.quantity;
      if (quantity > line.quantity) throw new BadInputError(`items.${i}.quantity`, `line ${line.id} has ${line.quantity} pieces`, 'quantity_exceeds_line');
      return { line, amount, quantity };
    });
    const s = await this.settings.get();
    const requestNo = businessNumber('AS');
    try {
      await this.tx.run(async ({ manager }) => {
        const saved = await manager.save(AfterSalesRequest, manager.create(AfterSalesRequest, {
          requestNo, orderId: order.id, orderNo: order.orderNo, memberId, type: input.type, status: 'requested', reasonCode: input.reasonCode, reasonText: reasonText.slice(0, 500), photos: input.photos ?? [],
          amount: chosen.reduce((sum, c) => sum + c.amount, 0), rejectReason: null, refundNo: null, returnCarrier: null, returnTrackingNo: null, dueAt: new Date(Date.now() + s.merchantResponseHours * HOUR), closedAt: null,
        }));
        await manager.insert(AfterSalesLine, chosen.map((c) => ({ requestId: saved.id, orderLineId: c.line.id, openLineId: c.line.id, amount: c.amount, quantity: c.quantity, title: c.line.title.slice(0, 120) })));
        await manager.insert(AfterSalesEvent, { requestId: saved.id, status: 'requested', actor: `member:${memberId}`, note: reasonText.slice(0, 500) });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('request_open', 'one of these lines already has an open after-sales request', 'items');
      throw err;
    }
    return this.view(await this.byNo(requestNo), { as: 'buyer' });
  }

  async mine(memberId: number, filter: { status?: AfterSalesStatus; orderNo?: string } = {}): Promise<RequestView[]> {
    const rows = await this.ds.getRepository(AfterSalesRequest).find({ where: { memberId, ...(filter.status ? { status: filter.status } : {}), ...(filter.orderNo ? { orderNo: filter.orderNo } : {}) }, order: { id: 'DESC' }, take: 100 });
    return this.views(rows, 'buyer');
  }

  /** Someone else's request is 404, never 403. */
  async forMember(memberId: number, requestNo: string): Promise<RequestView> {
    const req = await this.ds.getRepository(AfterSalesRequest).findOneBy({ requestNo, memberId });
    if (!req) throw new NotFoundError('after_sales_request', requestNo);
    return this.view(await this.syncRefund(req), { as: 'buyer' });
  }

  async cancel(memberId: number, requestNo: string): Promise<RequestView> {
    const req = await this.ds.getRepository(AfterSalesRequest).findOneBy({ requestNo, memberId });
    if (!req) throw new NotFoundError('after_sales_request', requestNo);
    await this.move(req, CAN.cancel, 'cancelled', `member:${memberId}`, '', { dueAt: null });
    return this.forMember(memberId, requestNo);
  }

  async shipReturn(memberId: number, requestNo: string, carrier: string, trackingNo: string): Promise<RequestView> {
    const req = await this.ds.getRepository(AfterSalesRequest).findOneBy({ requestNo, memberId });
    if (!req) throw new NotFoundError('after_sales_request', requestNo);
    await this.move(req, CAN.shipReturn, 'returned', `member:${memberId}`, `${carrier} ${trackingNo}`, { returnCarrier: carrier, returnTrackingNo: trackingNo, dueAt: null });
    return this.forMember(memberId, requestNo);
  }

  // ------------------------------------------------------------------ merchant

  async list(filter: { status?: AfterSalesStatus; type?: AfterSalesType; orderNo?: string; open?: boolean }, page = 1, pageSize = 20): Promise<{ items: RequestView[]; total: number; page: number; pageSize: number; counts: Record<string, number> }> {
    const qb = this.ds.getRepository(AfterSalesRequest).createQueryBuilder('r').orderBy('r.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    else if (filter.open) qb.andWhere('r.status IN (:...open)', { open: OPEN_STATUSES });
    if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    if (filter.orderNo) qb.andWhere('(r.order_no LIKE :q OR r.request_no LIKE :q)', { q: `%${filter.orderNo.replace(/[%_\\]/g, '')}%` });
    const [rows, total] = await qb.getManyAndCount();
    const raw = (await this.ds.getRepository(AfterSalesRequest).createQueryBuilder('r').select('r.status', 'status').addSelect('COUNT(*)', 'n').groupBy('r.status').getRawMany()) as Array<{ status: string; n: string | number }>;
    const counts: Record<string, number> = {};
    for (const r of raw) counts[r.status] = Number(r.n);
    return { items: await this.views(rows, 'admin'), total, page, pageSize, counts };
  }

  async detail(requestNo: string): Promise<RequestView> {
    return this.view(await this.syncRefund(await this.byNo(requestNo)), { as: 'admin' });
  }

  /**
   * Approves a request. A refund-only request is refunded at once through core (the provider's refund);
   * a return waits for the goods (awaiting_return, with the return address and a deadline).
   */
  async approve(requestNo: string, actor: string): Promise<RequestView> {
    const req = await this.byNo(requestNo);
    const s = await this.settings.get();
    const previous = req.status;
    await this.move(req, CAN.approve, 'approved', actor, '', { dueAt: null });
    if (req.type === 'return_and_refund') {
      await this.move({ ...req, status: 'approved' }, ['approved'], 'awaiting_return', actor, s.returnAddress, { dueAt: new Date(Date.now() + s.returnShipDays * 24 * HOUR) });
    } else {
      await this.refund({ ...req, status: 'approved' }, actor, false, previous);
    }
    return this.detail(requestNo);
  }

  async reject(requestNo: string, actor: string, reason: string): Promise<RequestView> {
    const req = await this.byNo(requestNo);
    await this.move(req, CAN.reject, 'rejected', actor, reason, { rejectReason: reason.slice(0, 200), dueAt: null });
    return this.detail(requestNo);
  }

  /** The returned goods arrived: their stock comes back and the refund is made. */
  async receive(requestNo: string, actor: string): Promise<RequestView> {
    const req = await this.byNo(requestNo);
    if (req.type !== 'return_and_refund') throw new ConflictError('not_a_return', `request ${requestNo} is a refund without return`);
    const previous = req.status;
    await this.move(req, CAN.receive, 'received', actor, '', { dueAt: null });
    await this.refund({ ...req, status: 'received' }, actor, true, previous);
    return this.detail(requestNo);
  }

  // ------------------------------------------------------------------ timeouts

  /** Unanswered requests are approved or escalated; returns never shipped back are closed; refunds are synced. */
  async runTimeouts(now = new Date()): Promise<{ approved: number; escalated: number; closed: number; refunded: number }> {
    const s = await this.settings.get();
    const out = { approved: 0, escalated: 0, closed: 0, refunded: 0 };
    const repo = this.ds.getRepository(AfterSalesRequest);
    for (const req of await repo.find({ where: { status: 'requested', dueAt: LessThanOrEqual(now) }, order: { id: 'ASC' }, take: 200 })) {
      try {
        if (s.timeoutAction === 'escalate') {
          await this.move(req, ['requested'], 'escalated', 'system:timeout', `${s.merchantResponseHours}h`, { dueAt: null });
          out.escalated++;
        } else {
          await this.approve(req.requestNo, 'system:timeout');
          out.approved++;
        }
      } catch (err) {
        this.logger.warn(`timeout of ${req.requestNo}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const req of await repo.find({ where: { status: 'awaiting_return', dueAt: LessThanOrEqual(now) }, take: 200 })) {
      try {
        await this.move(req, ['awaiting_return'], 'closed', 'system:timeout', `${s.returnShipDays}d`, { dueAt: null });
        out.closed++;
      } catch (err) {
        this.logger.warn(`closing ${req.requestNo}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const req of await repo.find({ where: { status: 'refunding' }, take: 200 })) {
      if ((await this.syncRefund(req)).status === 'refunded') out.refunded++;
    }
    return out;
  }

  // ------------------------------------------------------------------ internals

  private async byNo(requestNo: string): Promise<AfterSalesRequest> {
    const req = await this.ds.getRepository(AfterSalesRequest).findOneBy({ requestNo });
    if (!req) throw new NotFoundError('after_sales_request', requestNo);
    return req;
  }

  /**
   * Creates the refund through core. When core refuses before anything was committed (e.g. the line was
   * refunded elsewhere meanwhile), the request goes back to where it was and the error is passed on.
   */
  private async refund(req: AfterSalesRequest, actor: string, restock: boolean, previous: AfterSalesStatus): Promise<void> {
    const lines = await this.ds.getRepository(AfterSalesLine).find({ where: { requestId: req.id }, order: { id: 'ASC' } });
    const reason = `售后 ${req.requestNo}`;
    let refund: Refund;
    try {
      refund = await this.payments.refundAmounts(req.orderNo, lines.map((l) => ({ lineId: l.orderLineId, amount: l.amount, ...(restock ? { restockQuantity: l.quantity } : {}) })), actor, reason);
    } catch (err) {
      const made = await this.ds.getRepository(Refund).findOneBy({ orderId: req.orderId, reason });
      if (made) {
        // core committed the refund but the provider call failed: the refund row stays pending
        await this.move(req, [req.status], 'refunding', actor, `${made.refundNo} ${made.status}: ${errorText(err)}`, { refundNo: made.refundNo });
        return;
      }
      await this.move(req, [req.status], previous, actor, `退款失败 refund failed: ${errorText(err)}`);
      throw err;
    }
    await this.move(req, [req.status], 'refunding', actor, `${refund.refundNo} ${refund.status}`, { refundNo: refund.refundNo });
    if (refund.status === 'succeeded') await this.move({ ...req, status: 'refunding' }, ['refunding'], 'refunded', `payment:${refund.refundNo}`, '', { closedAt: new Date() });
  }

  /** A refunding request whose core refund has succeeded (e.g. confirmed by a provider notification) becomes refunded. */
  private async syncRefund(req: AfterSalesRequest): Promise<AfterSalesRequest> {
    if (req.status !== 'refunding' || !req.refundNo) return req;
    const refund = await this.ds.getRepository(Refund).findOneBy({ refundNo: req.refundNo });
    if (refund?.status !== 'succeeded') return req;
    try {
      await this.move(req, ['refunding'], 'refunded', `payment:${refund.refundNo}`, '', { closedAt: new Date() });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
    return this.byNo(req.requestNo);
  }

  /**
   * Moves a request from one of `from` to `to` with a conditional update, adds the timeline row, and
   * frees its lines when the request closes. 409 when the request is no longer in one of `from`.
   */
  private async move(req: AfterSalesRequest, from: readonly AfterSalesStatus[], to: AfterSalesStatus, actor: string, note: string, extra: Partial<AfterSalesRequest> = {}): Promise<void> {
    await this.tx.run(async ({ manager }) => {
      const closes = !OPEN_STATUSES.includes(to);
      const set = { ...extra, status: to, ...(closes ? { closedAt: extra.closedAt ?? new Date() } : {}) } as Partial<AfterSalesRequest>;
      const res = await manager.createQueryBuilder().update(AfterSalesRequest).set(set as never).where('id = :id AND status IN (:...from)', { id: req.id, from: [...from] }).execute();
      if (!res.affected) {
        const now = await manager.findOneBy(AfterSalesRequest, { id: req.id });
        throw new ConflictError('status_changed', `request ${req.requestNo} is ${now?.status ?? 'gone'}: it cannot become ${to}`);
      }
      await manager.insert(AfterSalesEvent, { requestId: req.id, status: to, actor: actor.slice(0, 40), note: note.slice(0, 500) });
      if (closes) await this.release(manager, req.id);
    });
  }

  private async release(manager: EntityManager, requestId: number): Promise<void> {
    await manager.update(AfterSalesLine, { requestId }, { openLineId: null });
  }

  private async views(rows: AfterSalesRequest[], as: 'buyer' | 'admin'): Promise<RequestView[]> {
    const out: RequestView[] = [];
    for (const r of rows) out.push(await this.view(r, { as, timeline: false }));
    return out;
  }

  private async view(req: AfterSalesRequest, opts: { as: 'buyer' | 'admin'; timeline?: boolean }): Promise<RequestView> {
    const lines = await this.ds.getRepository(AfterSalesLine).find({ where: { requestId: req.id }, order: { id: 'ASC' } });
    const events = opts.timeline === false ? [] : await this.ds.getRepository(AfterSalesEvent).find({ where: { requestId: req.id }, order: { id: 'ASC' } });
    const refund = req.refundNo ? await this.ds.getRepository(Refund).findOneBy({ refundNo: req.refundNo }) : null;
    const steps = stepsOf(req.type);
    const reached = new Set<AfterSalesStatus>([...events.map((e) => e.status), req.status]);
    const at = steps.indexOf(req.status);
    const isOpen = OPEN_STATUSES.includes(req.status);
    const s = this.settings.current();
    const buyer = opts.as === 'buyer';
    return {
      requestNo: req.requestNo, orderNo: req.orderNo, memberId: req.memberId, type: req.type, status: req.status, isOpen,
      reasonCode: req.reasonCode, reasonText: req.reasonText, photos: req.photos ?? [], amount: req.amount, rejectReason: req.rejectReason,
      refundNo: req.refundNo, refund: refund ? { refundNo: refund.refundNo, amount: refund.amount, status: refund.status, providerRefundId: buyer ? null : refund.providerRefundId } : null,
      returnCarrier: req.returnCarrier, returnTrackingNo: req.returnTrackingNo,
      returnAddress: req.type === 'return_and_refund' && ['awaiting_return', 'returned'].includes(req.status) ? s.returnAddress || null : null,
      dueAt: req.dueAt, createdAt: req.createdAt, closedAt: req.closedAt,
      lines: lines.map((l) => ({ orderLineId: l.orderLineId, title: l.title, amount: l.amount, quantity: l.quantity })),
      timeline: events.map((e) => ({ status: e.status, actor: buyer ? publicActor(e.actor) : e.actor, note: e.note, at: e.createdAt })),
      steps: steps.map((st, i) => ({ status: st, done: reached.has(st) || (at >= 0 && i <= at) })),
      actions: {
        cancel: buyer && (CAN.cancel as readonly string[]).includes(req.status),
        shipReturn: buyer && (CAN.shipReturn as readonly string[]).includes(req.status),
        approve: !buyer && (CAN.approve as readonly string[]).includes(req.status),
        reject: !buyer && (CAN.reject as readonly string[]).includes(req.status),
        receive: !buyer && req.type === 'return_and_refund' && (CAN.receive as readonly string[]).includes(req.status),
      },
    };
  }
}

/** Buyers see who acted by role only. */
function publicActor(actor: string): string {
  return actor.split(':')[0] ?? actor;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const d = (err as QueryFailedError & { driverError?: { errno?: number; code?: string } }).driverError;
  return d?.errno === 1062 || d?.code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/i.test(err.message);
}
