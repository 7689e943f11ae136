import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors.js';
import { fenToYuanString } from '../common/money.js';
import { ORDER_STATUSES } from '../order/order-status.js';
import { OrderService } from '../order/order.service.js';
import { RefundInput, ShipInput } from '../order/dto/order.dto.js';
import { AdminGuard, type AdminRequest, AdminSession, CurrentAdmin, safeAdminNext } from './admin-session.js';
import { AdminHtmlFilter } from './admin-html.filter.js';
import { AdminShopService } from './admin-shop.service.js';
import { AdminViews, type RenderOptions } from './admin-views.js';
import {
  domainErrorToFields, emptyVariantRow, field, type FieldErrors, type FormBody, parseCategoryForm, parseProductForm, parseShippingForm,
  productFormValues, type ProductFormValues, type CategoryFormValues, type Translate, validateAs,
} from './admin-forms.js';
import { IdPipe, OrderNoPipe } from './id.pipe.js';
import type { AdminUser } from './entities/admin-user.entity.js';

const PAGE_SIZE = 20;
const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递', '京东物流', 'EMS', '邮政快递包裹', '德邦快递'];

/** Human label of a form field for the error summary: "规格行 2 · 价格". */
export function fieldLabel(name: string, t: Translate): string {
  const v = /^variants\.(\d+)\.(\w+)$/.exec(name);
  if (v) return `${t('product.variantRow', { n: Number(v[1]) + 1 })} · ${t(`fields.${v[2]}`)}`;
  const img = /^images\.(\d+)$/.exec(name);
  if (img) return `${t('fields.images')} #${Number(img[1]) + 1}`;
  if (name === '_form') return '';
  const key = `fields.${name}`;
  const label = t(key);
  return label === key ? name : label;
}

function errorList(errors: FieldErrors, t: Translate) {
  return Object.entries(errors).map(([name, message]) => ({ field: name, anchor: name.replace(/^images\.\d+$/, 'images'), label: fieldLabel(name, t), message }));
}

function queryString(params: Record<string, string | number | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
}

/** The back office pages. Every route needs a signed-in admin; every POST a CSRF token. */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminGuard)
@UseFilters(AdminHtmlFilter)
export class AdminPagesController {
  constructor(
    private readonly views: AdminViews,
    private readonly session: AdminSession,
    private readonly shop: AdminShopService,
    private readonly orders: OrderService,
  ) {}

  private t(req: FastifyRequest): Translate {
    return this.views.translator(this.views.locale(req));
  }

  private render(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, opts: RenderOptions = {}): void {
    const admin = (req as AdminRequest).adminUser ?? null;
    this.views.render(req, reply, view, data, { admin, csrf: this.session.csrfToken(req), ...opts });
  }

  // ---- dashboard ----

  @Get()
  async dashboard(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const stats = await this.shop.dashboard();
    const recent = await this.orders.listAll({ status: 'paid' }, 1, 5);
    this.render(req, reply, 'dashboard', { stats, recent: recent.items }, { nav: 'dashboard', title: 'nav.dashboard' });
  }

  // ---- products ----

  @Get('products')
  async products(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string | undefined>) {
    const q = (query.q ?? '').trim().slice(0, 60);
    const status = ['listed', 'delisted'].includes(query.status ?? '') ? query.status! : 'all';
    const page = /^\d{1,4}$/.test(query.page ?? '') && Number(query.page) > 0 ? Number(query.page) : 1;
    const result = await this.shop.listProducts({ q, status, page, pageSize: PAGE_SIZE });
    const base = `/admin/products${queryString({ q, status: status === 'all' ? undefined : status })}`;
    const back = `/admin/products${queryString({ q, status: status === 'all' ? undefined : status, page: page > 1 ? page : undefined })}`;
    const tabs = [['all', 'common.all'], ['listed', 'product.listed'], ['delisted', 'product.delisted']]
      .map(([key, label]) => ({ key, label, url: `/admin/products${queryString({ q, status: key === 'all' ? undefined : key })}` }));
    const resetUrl = `/admin/products${queryString({ status: status === 'all' ? undefined : status })}`;
    this.render(req, reply, 'products', { result, q, status, tabs, resetUrl, baseUrl: base, back }, { nav: 'products', title: 'nav.products' });
  }

  @Get('products/new')
  async newProduct(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values: ProductFormValues = { title: '', subtitle: '', slug: '', categoryId: '', images: '', descriptionHtml: '', specNames: '', isListed: false, sortOrder: '', variants: [] };
    await this.productForm(req, reply, values, {}, null);
  }

  @Post('products')
  async createProduct(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = await parseProductForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.productForm(req, reply, parsed.values, parsed.errors, null, 400);
    try {
      const created = await this.shop.createProduct(parsed.input);
      void reply.redirect(`/admin/products/${created.id}/edit?ok=created`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.productForm(req, reply, parsed.values, domainErrorToFields(err), null, err.status);
    }
  }

  @Get('products/:id/edit')
  async editProduct(@Param('id', IdPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const product = await this.shop.product(id);
    await this.productForm(req, reply, productFormValues(product, fenToYuanString), {}, product);
  }

  @Post('products/:id')
  async updateProduct(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const product = await this.shop.product(id);
    const parsed = await parseProductForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.productForm(req, reply, parsed.values, parsed.errors, product, 400);
    try {
      await this.shop.updateProduct(id, parsed.input);
      void reply.redirect(`/admin/products/${id}/edit?ok=saved`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.productForm(req, reply, parsed.values, domainErrorToFields(err), product, err.status);
    }
  }

  @Post('products/:id/list')
  async list(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.setListed(id, true, body, req, reply);
  }

  @Post('products/:id/delist')
  async delist(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.setListed(id, false, body, req, reply);
  }

  private async setListed(id: number, listed: boolean, body: FormBody, req: FastifyRequest, reply: FastifyReply) {
    await this.shop.setListed(id, listed);
    const back = new URL(safeAdminNext(field(body, 'back') || '/admin/products'), 'http://admin.local');
    back.searchParams.set('ok', listed ? 'listed' : 'delisted');
    void reply.redirect(`${back.pathname}${back.search}`, 303);
  }

  private async productForm(req: FastifyRequest, reply: FastifyReply, form: ProductFormValues, errors: FieldErrors, product: { id: number; slug: string; isListed: boolean; salesCount: number } | null, status = 200) {
    const t = this.t(req);
    const rows = [...form.variants];
    const blanks = rows.length ? 1 : 3;
    for (let i = 0; i < blanks; i++) rows.push(emptyVariantRow());
    this.render(req, reply, 'product-form', {
      form, rows, errors, errorList: errorList(errors, t), imageErrors: errorList(errors, t).filter((e) => /^images\.\d+$/.test(e.field)), categories: await this.shop.categoryRows(), product,
      action: product ? `/admin/products/${product.id}` : '/admin/products',
    }, { nav: 'products', title: product ? 'product.editTitle' : 'product.newTitle', status });
  }

  // ---- categories ----

  @Get('categories')
  async categories(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.categoryPage(req, reply, { name: '', slug: '', parentId: '', sortOrder: '', isVisible: true, imageUrl: '' }, {});
  }

  @Post('categories')
  async createCategory(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = await parseCategoryForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.categoryPage(req, reply, parsed.values, parsed.errors, 400);
    try {
      await this.shop.createCategory(parsed.input);
      void reply.redirect('/admin/categories?ok=created', 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.categoryPage(req, reply, parsed.values, domainErrorToFields(err), err.status);
    }
  }

  @Get('categories/:id/edit')
  async editCategory(@Param('id', IdPipe) id: number, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const c = await this.shop.category(id);
    await this.categoryForm(req, reply, id, { name: c.name, slug: c.slug, parentId: c.parentId ? String(c.parentId) : '', sortOrder: String(c.sortOrder), isVisible: c.isVisible, imageUrl: c.imageUrl ?? '' }, {});
  }

  @Post('categories/:id')
  async updateCategory(@Param('id', IdPipe) id: number, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.shop.category(id);
    const parsed = await parseCategoryForm(body ?? {}, this.t(req));
    if (!parsed.input) return this.categoryForm(req, reply, id, parsed.values, parsed.errors, 400);
    try {
      await this.shop.updateCategory(id, parsed.input);
      void reply.redirect('/admin/categories?ok=saved', 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.categoryForm(req, reply, id, parsed.values, domainErrorToFields(err), err.status);
    }
  }

  private async categoryPage(req: FastifyRequest, reply: FastifyReply, form: CategoryFormValues, errors: FieldErrors, status = 200) {
    const rows = await this.shop.categoryRows();
    this.render(req, reply, 'categories', { rows, form, errors, errorList: errorList(errors, this.t(req)), parents: rows }, { nav: 'categories', title: 'nav.categories', status });
  }

  private async categoryForm(req: FastifyRequest, reply: FastifyReply, id: number, form: CategoryFormValues, errors: FieldErrors, status = 200) {
    const rows = await this.shop.categoryRows();
    this.render(req, reply, 'category-form', { id, form, errors, errorList: errorList(errors, this.t(req)), parents: rows.filter((r) => r.id !== id) }, { nav: 'categories', title: 'category.editTitle', status });
  }

  // ---- orders ----

  @Get('orders')
  async orderList(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string | undefined>) {
    const status = (ORDER_STATUSES as readonly string[]).includes(query.status ?? '') ? query.status! : '';
    const q = (query.q ?? '').trim().slice(0, 40);
    const page = /^\d{1,4}$/.test(query.page ?? '') && Number(query.page) > 0 ? Number(query.page) : 1;
    const result = await this.orders.listAll({ status: status || undefined, q: q || undefined }, page, PAGE_SIZE);
    const pageCount = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    this.render(req, reply, 'orders', {
      result, pageCount, status, q,
      tabs: ['', ...ORDER_STATUSES].map((key) => ({ key, label: key ? `status.${key}` : 'common.all', url: `/admin/orders${queryString({ status: key, q })}` })),
      baseUrl: `/admin/orders${queryString({ status, q })}`,
    }, { nav: 'orders', title: 'nav.orders' });
  }

  @Get('orders/:orderNo')
  async orderDetail(@Param('orderNo', OrderNoPipe) orderNo: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.orderPage(req, reply, orderNo, {});
  }

  @Post('orders/:orderNo/ship')
  async ship(@Param('orderNo', OrderNoPipe) orderNo: string, @Body() body: FormBody, @CurrentAdmin() admin: AdminUser, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ship = { carrier: field(body, 'carrier').trim(), trackingNo: field(body, 'trackingNo').trim() };
    const checked = await validateAs(ShipInput, ship);
    if (Object.keys(checked.errors).length) return this.orderPage(req, reply, orderNo, { errors: checked.errors, ship }, 400);
    await this.orderAction(req, reply, orderNo, { ship }, () => this.shop.ship(orderNo, admin.id, ship.carrier, ship.trackingNo), 'shipped');
  }

  @Post('orders/:orderNo/cancel')
  async cancel(@Param('orderNo', OrderNoPipe) orderNo: string, @CurrentAdmin() admin: AdminUser, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.orderAction(req, reply, orderNo, {}, () => this.shop.cancel(orderNo, admin.id), 'cancelled');
  }

  @Post('orders/:orderNo/refund')
  async refund(@Param('orderNo', OrderNoPipe) orderNo: string, @Body() body: FormBody, @CurrentAdmin() admin: AdminUser, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const refund = { reason: field(body, 'reason').trim() };
    const checked = await validateAs(RefundInput, refund);
    if (Object.keys(checked.errors).length) return this.orderPage(req, reply, orderNo, { errors: checked.errors, refund }, 400);
    await this.orderAction(req, reply, orderNo, { refund }, () => this.shop.refund(orderNo, admin.id, refund.reason), 'refunded');
  }

  private async orderAction(req: FastifyRequest, reply: FastifyReply, orderNo: string, values: Record<string, unknown>, run: () => Promise<unknown>, ok: string) {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return this.orderPage(req, reply, orderNo, { ...values, errors: domainErrorToFields(err) }, err.status);
    }
    void reply.redirect(`/admin/orders/${encodeURIComponent(orderNo)}?ok=${ok}`, 303);
  }

  private async orderPage(req: FastifyRequest, reply: FastifyReply, orderNo: string, extra: { errors?: FieldErrors; ship?: unknown; refund?: unknown }, status = 200) {
    const order = await this.shop.order(orderNo);
    const errors = extra.errors ?? {};
    this.render(req, reply, 'order', {
      order, actions: this.shop.adminActions(order.status), errors, errorList: errorList(errors, this.t(req)),
      ship: extra.ship ?? { carrier: '', trackingNo: '' }, refund: extra.refund ?? { reason: '' }, carriers: CARRIERS,
    }, { nav: 'orders', title: 'order.title', status });
  }

  // ---- shipping ----

  @Get('shipping')
  async shipping(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const tpl = await this.shop.defaultShipping();
    const form = { name: tpl.name, firstItemFee: fenToYuanString(tpl.firstItemFee), additionalItemFee: fenToYuanString(tpl.additionalItemFee), freeFrom: tpl.freeFrom === null ? '' : fenToYuanString(tpl.freeFrom) };
    this.render(req, reply, 'shipping', { form, errors: {}, errorList: [], exists: tpl.id !== null }, { nav: 'shipping', title: 'nav.shipping' });
  }

  @Post('shipping')
  async saveShipping(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const t = this.t(req);
    const parsed = parseShippingForm(body ?? {}, t);
    if (!parsed.input) {
      return this.render(req, reply, 'shipping', { form: parsed.values, errors: parsed.errors, errorList: errorList(parsed.errors, t), exists: true }, { nav: 'shipping', title: 'nav.shipping', status: 400 });
    }
    await this.shop.saveDefaultShipping(parsed.input);
    void reply.redirect('/admin/shipping?ok=saved', 303);
  }
}
