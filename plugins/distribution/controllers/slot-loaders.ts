import { Injectable } from '@nestjs/common';
import type { ProductDetail } from '../../../core/catalog/catalog.service.js';
import type { SlotContext, SlotDataLoader } from '../../../core/plugin/index.js';
import { DistributorService } from '../services/distributor.service.js';
import { LedgerService } from '../services/ledger.service.js';
import { ShopViewService } from '../services/shop-view.service.js';

/** member.menu: the 推广中心 entry, with the member's distributor state (available balance, under review, or an invitation). */
@Injectable()
export class MemberMenuLoader implements SlotDataLoader {
  constructor(private readonly distributors: DistributorService, private readonly ledger: LedgerService) {}

  async load(ctx: SlotContext) {
    if (!ctx.memberId) return { status: 'none' };
    const d = await this.distributors.byMember(ctx.memberId);
    if (d?.status === 'active') return { status: 'active', available: (await this.ledger.balances(ctx.memberId)).available };
    return { status: d?.status === 'pending' ? 'pending' : 'none' };
  }
}

/** product.actions: 分享赚 for active distributors, with the L1 commission one unit would earn them. */
@Injectable()
export class ProductShareLoader implements SlotDataLoader {
  constructor(private readonly distributors: DistributorService, private readonly view: ShopViewService) {}

  async load(ctx: SlotContext) {
    const product = ctx.data.product as ProductDetail | undefined;
    if (!ctx.memberId || !product || typeof product.id !== 'number') return null;
    const d = await this.distributors.byMember(ctx.memberId);
    if (d?.status !== 'active') return null;
    return { productId: product.id, estimate: await this.view.l1Estimate(d, product) };
  }
}
