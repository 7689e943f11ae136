import { Injectable } from '@nestjs/common';
import {
  BadInputError, ConflictError, NotFoundError,
  type DomainEvent, type PricingAdjuster, type PricingContext, type PriceAdjustment, type ScheduledJob, type SlotContext, type SlotDataLoader, type TransactionalEventHook, type TxContext,
} from '../../core/plugin/index.js';
import { FlashState } from './flash-state.js';
import { sessionWindow, soldPercent, yuan } from './flash-rules.js';
import { ADJUSTER_ID, FlashSaleService, PENDING } from './flash-sale.service.js';

// The checkout option this plugin reads (declaration merging documents it on the core type).
declare module '../../core/pricing/pricing.types.js' {
  interface CheckoutOptions {
    /** Buy this line at the flash price of flash-sale item N (POST /api/v1/flash-sale/items/:id/buy sets it). */
    flashSaleItemId?: number;
  }
}

/**
 * The flash price of one line (line-price stage, exclusive group "activity-price", priority 20):
 * it owns the line, so no other activity price (group buy, bargain, partner price) can combine with
 * it; if another activity with a lower priority number priced the line first, the flash purchase is
 * refused (409 flash_price_conflict) rather than sold at the other price. The price adjustment
 * carries the session's switches: `allowsOrderDiscounts` (coupons, spend-and-save on top) and
 * `data.earnsCommission` (read by distribution), and `holdsStock`: the units come from the
 * activity's stock, not the variant's. When placing, the reservation is handed to the order.placed
 * hook, which takes the stock as the last statement of the checkout transaction.
 */
@Injectable()
export class FlashPriceAdjuster implements PricingAdjuster {
  readonly id = ADJUSTER_ID;
  readonly stage = 'line-price' as const;
  readonly priority = 20;
  readonly exclusiveGroup = 'activity-price';

  constructor(private readonly state: FlashState) {}

  async adjust(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> {
    const raw = ctx.options.flashSaleItemId as unknown;
    if (raw === undefined || raw === null || raw === '') return [];
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) throw new BadInputError('options.flashSaleItemId', 'flashSaleItemId must be a positive whole number (the flash-sale item id)', 'invalid_flash_item');
    // the definition from memory (re-read every second and at once after an admin change here): no
    // query; the hot UPDATE re-checks stock, price and that the item is still on, in the database
    const live = this.state.get(raw) ?? (await this.state.find(raw));
    if (!live) throw new NotFoundError('flash_item', raw, 'options.flashSaleItemId');
    const { item, session } = live;
    const w = sessionWindow(session, ctx.now);
    if (w.phase === 'upcoming') throw new ConflictError('flash_not_started', `this flash sale starts at ${w.start.toISOString()}`);
    if (w.phase !== 'live') throw new ConflictError('flash_ended', 'this flash sale is over');
    const line = ctx.lines.find((l) => l.variantId === item.variantId);
    if (!line) throw new BadInputError('options.flashSaleItemId', `flash-sale item ${item.id} is for variant ${item.variantId}, which is not in this order`, 'flash_item_not_in_order');
    if (line.quantity > item.perMemberLimit) throw new ConflictError('flash_limit_reached', `each member may buy at most ${item.perMemberLimit} of this flash item`, `items.${line.index}.quantity`);
    const other = ctx.adjustments.find((a) => a.kind === 'price' && a.lineIndex === line.index);
    if (other) throw new ConflictError('flash_price_conflict', `this line already has another activity price (${other.label}); a flash price never combines with it`, 'options.flashSaleItemId');
    if (item.settled || item.stock < line.quantity) throw new ConflictError('flash_sold_out', 'sold out: every unit of this flash sale has been taken', `items.${line.index}.quantity`);
    const amount = Math.min(item.flashPrice, line.listUnitPrice);
    if (ctx.placing) {
      const pending = PENDING.get(ctx.manager) ?? [];
      pending.push({ itemId: item.id, variantId: item.variantId, quantity: line.quantity, flashPrice: item.flashPrice, unitPrice: amount, perMemberLimit: item.perMemberLimit, paymentTimeoutMinutes: session.paymentTimeoutMinutes, gateKey: item.gateKey });
      PENDING.set(ctx.manager, pending);
    }
    return [{
      kind: 'price', label: `秒杀价 ¥${yuan(amount)}`, amount, lineIndex: line.index,
      allowsOrderDiscounts: session.allowOrderDiscounts, holdsStock: true,
      data: { flashSaleItemId: item.id, sessionId: session.id, earnsCommission: session.earnsCommission, allowsOrderDiscounts: session.allowOrderDiscounts },
    }];
  }
}

/**
 * In the order.placed transaction, after core and the other plugins' hooks (order 1000): the
 * purchase row, the shorter payment time and the conditional UPDATE of the hot stock row.
 */
@Injectable()
export class ReserveOnPlacedHook implements TransactionalEventHook<'order.placed'> {
  readonly name = 'flash-sale:reserve';
  readonly events = ['order.placed'] as const;
  readonly order = 1000;
  constructor(private readonly flash: FlashSaleService) {}

  async handle(event: Omit<DomainEvent<'order.placed'>, 'id'>, tx: TxContext): Promise<void> {
    const pending = PENDING.get(tx.manager);
    if (!pending?.length) return;
    PENDING.delete(tx.manager);
    await this.flash.reserve(tx, event.payload.orderId, event.payload.memberId, pending);
  }
}

/** In the order.closed transaction (payment timeout, buyer or merchant cancel): units back to the activity. */
@Injectable()
export class ReturnOnClosedHook implements TransactionalEventHook<'order.closed'> {
  readonly name = 'flash-sale:return';
  readonly events = ['order.closed'] as const;
  constructor(private readonly flash: FlashSaleService) {}

  async handle(event: Omit<DomainEvent<'order.closed'>, 'id'>, tx: TxContext): Promise<void> {
    await this.flash.release(tx, event.payload.orderId);
  }
}

/** Sessions that are over give their unsold units back to the variants. */
@Injectable()
export class SettleEndedJob implements ScheduledJob {
  readonly name = 'flash-sale:settle';
  readonly everySeconds = 60;
  constructor(private readonly flash: FlashSaleService) {}
  async run(): Promise<void> {
    await this.flash.settleEnded();
  }
}

/** product.price: the flash price and countdown when the product is in a running or coming session (from memory). */
@Injectable()
export class ProductOfferLoader implements SlotDataLoader {
  constructor(private readonly flash: FlashSaleService) {}

  load(ctx: SlotContext) {
    if (ctx.page !== 'product') return null;
    const product = ctx.data.product as { id?: number; variants?: Array<{ id: number; price: number }> } | undefined;
    if (!product?.id) return null;
    const offer = this.flash.offerForProduct(product.id);
    if (!offer) return null;
    const variant = product.variants?.find((v) => v.id === offer.item.variantId);
    const listPrice = variant?.price ?? offer.item.flashPrice;
    const soldOut = this.flash.state.shownSoldOut(offer.item);
    return {
      itemId: offer.item.id, live: offer.phase === 'live', upcoming: offer.phase === 'upcoming', soldOut,
      price: Math.min(offer.item.flashPrice, listPrice), listPrice, start: offer.start.toISOString(), end: offer.end.toISOString(),
      soldPercent: soldOut ? 100 : soldPercent(offer.item.sold, offer.item.stock), perMemberLimit: offer.item.perMemberLimit, sessionTitle: offer.session.title,
    };
  }
}
