import { Distributor } from './distributor.entity.js';
import { DistributorLevel } from './distributor-level.entity.js';
import { ReferralBinding } from './referral-binding.entity.js';
import { PendingReferral } from './pending-referral.entity.js';
import { BindingEvent } from './binding-event.entity.js';
import { OrderSnapshot } from './order-snapshot.entity.js';
import { Commission } from './commission.entity.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import { Withdrawal } from './withdrawal.entity.js';
import { ShopPick } from './shop-pick.entity.js';
import { ProductRate } from './product-rate.entity.js';
import { PartnerPrice } from './partner-price.entity.js';

export const DISTRIBUTION_ENTITIES = [Distributor, DistributorLevel, ReferralBinding, PendingReferral, BindingEvent, OrderSnapshot, Commission, LedgerEntry, Withdrawal, ShopPick, ProductRate, PartnerPrice];
export { Distributor, DistributorLevel, ReferralBinding, PendingReferral, BindingEvent, OrderSnapshot, Commission, LedgerEntry, Withdrawal, ShopPick, ProductRate, PartnerPrice };
