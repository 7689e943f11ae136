import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { Product } from '../catalog/entities/product.entity.js';
import { ProductVariant } from '../catalog/entities/product-variant.entity.js';
import { specText } from '../catalog/catalog.service.js';
import { CartItem } from './entities/cart-item.entity.js';
import { MAX_LINE_QUANTITY } from './dto/cart.dto.js';

const MAX_CART_LINES = 50;

export interface CartLineView {
  id: number;
  variantId: number;
  productId: number;
  productSlug: string;
  title: string;
  specText: string;
  imageUrl: string | null;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  selected: boolean;
  stock: number;
  /** False when the product was delisted, the variant removed, or stock is short. */
  available: boolean;
  problem: 'delisted' | 'out_of_stock' | 'insufficient_stock' | null;
}

export interface CartView {
  lines: CartLineView[];
  selectedCount: number;
  selectedTotal: number;
  itemCount: number;
}

@Injectable()
export class CartService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async view(memberId: number): Promise<CartView> {
    const items = await this.ds.getRepository(CartItem).find({ where: { memberId }, order: { id: 'DESC' } });
    const variants = items.length ? await this.ds.getRepository(ProductVariant).findBy({ id: In(items.map((i) => i.variantId)) }) : [];
    const products = variants.length ? await this.ds.getRepository(Product).findBy({ id: In([...new Set(variants.map((v) => v.productId))]) }) : [];
    const lines: CartLineView[] = [];
    for (const item of items) {
      const v = variants.find((x) => x.id === item.variantId);
      const p = v && products.find((x) => x.id === v.productId);
      if (!v || !p) continue;
      const problem = !p.isListed || !v.isActive ? 'delisted' : v.stock <= 0 ? 'out_of_stock' : v.stock < item.quantity ? 'insufficient_stock' : null;
      lines.push({
        id: item.id, variantId: v.id, productId: p.id, productSlug: p.slug, title: p.title, specText: specText(v.specValues),
        imageUrl: v.imageUrl ?? p.images[0] ?? null, unitPrice: v.price, quantity: item.quantity, lineTotal: v.price * item.quantity,
        selected: item.selected, stock: v.stock, available: problem === null, problem,
      });
    }
    const chosen = lines.filter((l) => l.selected && l.available);
    return { lines, selectedCount: chosen.reduce((s, l) => s + l.quantity, 0), selectedTotal: chosen.reduce((s, l) => s + l.lineTotal, 0), itemCount: lines.reduce((s, l) => s + l.quantity, 0) };
  }

  async add(memberId: number, variantId: number, quantity: number): Promise<CartView> {
    const variant = await this.sellableVariant(variantId);
    const repo = this.ds.getRepository(CartItem);
    const existing = await repo.findOneBy({ memberId, variantId });
    const total = (existing?.quantity ?? 0) + quantity;
    if (total > MAX_LINE_QUANTITY) throw new BadInputError('quantity', `at most ${MAX_LINE_QUANTITY} of one item per order`, 'quantity_limit');
    if (total > variant.stock) throw new ConflictError('insufficient_stock', `only ${variant.stock} left in stock`, 'quantity');
    if (existing) {
      await repo.update({ id: existing.id }, { quantity: total, selected: true });
    } else {
      if ((await repo.countBy({ memberId })) >= MAX_CART_LINES) throw new ConflictError('cart_full', `the cart holds at most ${MAX_CART_LINES} different items`);
      try {
        await repo.insert({ memberId, variantId, quantity, selected: true });
      } catch {
        // a concurrent add of the same variant created the row first
        await repo.increment({ memberId, variantId }, 'quantity', quantity);
      }
    }
    return this.view(memberId);
  }

  async update(memberId: number, itemId: number, patch: { quantity?: number; selected?: boolean }): Promise<CartView> {
    const repo = this.ds.getRepository(CartItem);
    const item = await repo.findOneBy({ id: itemId, memberId });
    if (!item) throw new NotFoundError('cart_item', itemId);
    if (patch.quantity !== undefined) {
      const variant = await this.sellableVariant(item.variantId);
      if (patch.quantity > variant.stock) throw new ConflictError('insufficient_stock', `only ${variant.stock} left in stock`, 'quantity');
    }
    await repo.update({ id: itemId }, { ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}), ...(patch.selected !== undefined ? { selected: patch.selected } : {}) });
    return this.view(memberId);
  }

  async remove(memberId: number, itemId: number): Promise<CartView> {
    const res = await this.ds.getRepository(CartItem).delete({ id: itemId, memberId });
    if (!res.affected) throw new NotFoundError('cart_item', itemId);
    return this.view(memberId);
  }

  /**
   * The selected lines that can be bought (listed, active, enough stock): what checkout buys when no
   * explicit items are given. Problem lines stay in the cart, shown with their problem.
   */
  async selectedItems(memberId: number): Promise<Array<{ variantId: number; quantity: number }>> {
    const cart = await this.view(memberId);
    return [...cart.lines].reverse().filter((l) => l.selected && l.available).map((l) => ({ variantId: l.variantId, quantity: l.quantity }));
  }

  private async sellableVariant(variantId: number): Promise<ProductVariant> {
    const variant = await this.ds.getRepository(ProductVariant).findOneBy({ id: variantId });
    const product = variant && (await this.ds.getRepository(Product).findOneBy({ id: variant.productId }));
    if (!variant || !product || !variant.isActive) throw new NotFoundError('variant', variantId, 'variantId');
    if (!product.isListed) throw new ConflictError('product_delisted', `${product.title} is no longer on sale`, 'variantId');
    return variant;
  }
}
