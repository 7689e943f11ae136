import type { EntityManager } from 'typeorm';

/**
 * Options a shopper chooses at checkout that adjusters read. Plugins add their own keys by
 * declaration merging on this interface (e.g. `couponCode`), and list them in their manifest.
 */
export interface CheckoutOptions {
  [key: string]: string | number | boolean | undefined;
}

export interface PricingLine {
  readonly index: number;
  readonly productId: number;
  readonly variantId: number;
  readonly categoryId: number | null;
  readonly title: string;
  readonly specText: string;
  readonly imageUrl: string | null;
  readonly skuCode: string | null;
  readonly shippingTemplateId: number;
  readonly weightGrams: number;
  readonly quantity: number;
  /** Catalog price per unit. */
  readonly listUnitPrice: number;
  /** Price per unit after the line-price stage (an activity price), in fen. */
  unitPrice: number;
  /** False when a line-price adjuster said order discounts (coupons, spend-and-save) must not apply to this line. */
  discountable: boolean;
  /** Order-level discount allocated to this line, filled at the end of the pipeline. */
  discountAllocated: number;
}

export type AdjustmentKind = 'price' | 'discount' | 'shipping';

export interface PriceAdjustment {
  /** "core:shipping", "plugin:<id>". Set by the pipeline from the adjuster id. */
  source: string;
  kind: AdjustmentKind;
  /** Shown to the shopper, e.g. "满199减20". */
  label: string;
  /**
   * Fen. For kind "price": the new unit price of `lineIndex` (not a delta).
   * For "discount": the discount as a positive number. For "shipping": the fee.
   */
  amount: number;
  lineIndex?: number;
  /** Only for kind "price": false keeps order discounts off this line. */
  allowsOrderDiscounts?: boolean;
  /**
   * Only for kind "price": true when the activity keeps this line's stock itself (units set aside
   * from the variant, e.g. flash-sale stock). Core then neither takes the quantity from the variant
   * when the order is placed nor gives it back when the unpaid order closes: the adjuster takes it in
   * the checkout transaction (`ctx.placing`) and gives it back on `order.closed`.
   */
  holdsStock?: boolean;
  data?: Record<string, unknown>;
}

export type PricingStage = 'line-price' | 'order-discount' | 'shipping';

/** The state the pipeline hands to each adjuster. */
export interface PricingContext {
  readonly memberId: number | null;
  readonly lines: readonly PricingLine[];
  readonly options: Readonly<CheckoutOptions>;
  readonly now: Date;
  /** Reads inside the checkout transaction when placing an order; a plain manager for previews. */
  readonly manager: EntityManager;
  /** True when the result will become an order (adjusters may reserve, e.g. mark a coupon used). */
  readonly placing: boolean;
  /** Adjustments accepted so far, in order. */
  readonly adjustments: readonly PriceAdjustment[];
  /** Σ unitPrice × quantity over all lines. */
  itemsTotal(): number;
  /** Σ unitPrice × quantity over lines that accept order discounts. */
  discountableTotal(): number;
  /** Order discounts accepted so far (positive fen). */
  discountTotal(): number;
}

/**
 * A step of the checkout pricing pipeline. Adjusters run by stage (line-price, order-discount,
 * shipping), then by ascending priority. Within an `exclusiveGroup`:
 * - line-price stage: the first adjuster (by priority) that prices a line owns that line;
 *   later adjusters of the same group cannot touch it. Line prices from any group never stack:
 *   a line that already has an activity price is skipped by every other line-price adjuster.
 * - order-discount stage: only the first adjuster of a group that returns a discount applies.
 * Discounts of different groups add up, each seeing the total so far; together they never exceed
 * the discountable total.
 */
export interface PricingAdjuster {
  /** Unique: "core:shipping", "spend-and-save:tiers". */
  readonly id: string;
  readonly stage: PricingStage;
  readonly priority: number;
  readonly exclusiveGroup?: string;
  adjust(ctx: PricingContext): Promise<Array<Omit<PriceAdjustment, 'source'>>> | Array<Omit<PriceAdjustment, 'source'>>;
}

export interface PricingResult {
  lines: PricingLine[];
  adjustments: PriceAdjustment[];
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payableTotal: number;
}
