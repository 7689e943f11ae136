import { Injectable } from '@nestjs/common';

/** What a slot contribution's data loader receives: the page being rendered. */
export interface SlotContext {
  /** The page template's name: "product", "cart", "home" … */
  page: string;
  memberId: number | null;
  locale: string;
  /** The page's own data (e.g. `product` on the product page). */
  data: Readonly<Record<string, unknown>>;
}

/**
 * A plugin's contribution to a named place in theme templates. Its partial is rendered with the
 * page data plus whatever `load` returns (under `slot`); when `load` returns null the contribution
 * is skipped for this page.
 */
export interface SlotContribution {
  pluginId: string;
  slot: string;
  /** Handlebars source of the partial (plugin templates are read from the plugin's folder). */
  template: string;
  order?: number;
  load?(ctx: SlotContext): Promise<Record<string, unknown> | null> | Record<string, unknown> | null;
}

/** The slots the default theme places; themes may place them anywhere (or not at all). */
export const KNOWN_SLOTS = [
  'head', 'home.sections', 'home.top', 'product.price', 'product.actions', 'product.after-description',
  'cart.summary', 'checkout.summary', 'member.menu', 'order.detail', 'footer',
] as const;

@Injectable()
export class SlotRegistry {
  private readonly contributions: SlotContribution[] = [];

  add(contribution: SlotContribution): void {
    this.contributions.push(contribution);
    this.contributions.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.pluginId.localeCompare(b.pluginId));
  }

  forSlot(slot: string): SlotContribution[] {
    return this.contributions.filter((c) => c.slot === slot);
  }

  all(): readonly SlotContribution[] {
    return this.contributions;
  }

  /** Runs every loader for the page; the result is keyed by contribution index. */
  async prepare(ctx: SlotContext): Promise<Map<SlotContribution, Record<string, unknown>>> {
    const out = new Map<SlotContribution, Record<string, unknown>>();
    await Promise.all(
      this.contributions.map(async (c) => {
        const data = c.load ? await c.load(ctx) : {};
        if (data) out.set(c, data);
      }),
    );
    return out;
  }
}
