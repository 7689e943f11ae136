import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../common/errors.js';
import { CategoryInput, ProductInput } from '../catalog/dto/product.dto.js';
import { RefundInput, ShipInput } from '../order/dto/order.dto.js';
import { OrderService } from '../order/order.service.js';
import { AdminUsersService } from './admin-users.service.js';
import { ADMIN_SESSION_MAX_AGE, AdminGuard, AdminSession, CurrentAdmin } from './admin-session.js';
import { AdminShopService } from './admin-shop.service.js';
import { AdminLoginInput, AdminOrderQuery, AdminProductQuery, ShippingTemplateInput } from './dto/admin.dto.js';
import { IdPipe, OrderNoPipe } from './id.pipe.js';
import { LoginThrottle, LoginThrottledError } from './login-throttle.js';
import type { AdminUser } from './entities/admin-user.entity.js';

const CSRF_HEADER = { name: 'x-csrf-token', required: false, description: 'Required on POST/PUT/PATCH/DELETE: the csrfToken returned by POST /api/v1/admin/session' };

/** JSON sign-in for scripts and tests: sets the admin cookie and returns the CSRF token to send as x-csrf-token. */
@ApiTags('admin')
@Controller('api/v1/admin/session')
export class AdminSessionApiController {
  constructor(private readonly users: AdminUsersService, private readonly session: AdminSession, private readonly throttle: LoginThrottle) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in as an admin; returns { csrfToken } and sets the mall_admin cookie (12 h). 401 on wrong credentials, 429 after 5 failures in 15 minutes.' })
  async signIn(@Body() body: AdminLoginInput, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      this.throttle.check(body.email);
    } catch (err) {
      if (err instanceof LoginThrottledError) void reply.header('retry-after', String(err.retryAfterSeconds));
      throw err;
    }
    const user = await this.users.authenticate(body.email, body.password);
    if (!user) {
      this.throttle.fail(body.email);
      throw new UnauthorizedError('Wrong e-mail or password', 'invalid_credentials');
    }
    this.throttle.succeed(body.email);
    const csrfToken = this.session.signIn(reply, user);
    return { csrfToken, expiresIn: ADMIN_SESSION_MAX_AGE, admin: { id: user.id, email: user.email, role: user.role } };
  }

  @Get()
  @UseGuards(AdminGuard)
  @ApiOperation({ summary: 'The signed-in admin and the CSRF token of this session' })
  current(@CurrentAdmin() admin: AdminUser, @Req() req: FastifyRequest) {
    return { csrfToken: this.session.csrfToken(req), admin: { id: admin.id, email: admin.email, role: admin.role } };
  }

  @Delete()
  @UseGuards(AdminGuard)
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Sign out' })
  signOut(@Res({ passthrough: true }) reply: FastifyReply) {
    this.session.signOut(reply);
    return { signedOut: true };
  }
}

/** The admin JSON API. Amounts are integer fen. Writes need the x-csrf-token header. */
@ApiTags('admin')
@ApiHeader(CSRF_HEADER)
@Controller('api/v1/admin')
@UseGuards(AdminGuard)
export class AdminApiController {
  constructor(private readonly shop: AdminShopService, private readonly orders: OrderService) {}

  @Get('products')
  @ApiOperation({ summary: 'Products, listed and delisted, newest first' })
  products(@Query() q: AdminProductQuery) {
    return this.shop.listProducts({ q: q.q, status: q.status, categoryId: q.categoryId, page: q.page, pageSize: q.pageSize });
  }

  @Post('products')
  @ApiOperation({ summary: 'Create a product with its variants (prices in fen)' })
  createProduct(@Body() body: ProductInput) {
    return this.shop.createProduct(body);
  }

  @Get('products/:id')
  product(@Param('id', IdPipe) id: number) {
    return this.shop.product(id);
  }

  @Put('products/:id')
  @ApiOperation({ summary: 'Replace a product and its variants; variants are matched by spec values, missing ones are deactivated' })
  updateProduct(@Param('id', IdPipe) id: number, @Body() body: ProductInput) {
    return this.shop.updateProduct(id, body);
  }

  @Post('products/:id/list')
  @HttpCode(200)
  @ApiOperation({ summary: 'List (上架) a product' })
  listProduct(@Param('id', IdPipe) id: number) {
    return this.shop.setListed(id, true);
  }

  @Post('products/:id/delist')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delist (下架) a product' })
  delistProduct(@Param('id', IdPipe) id: number) {
    return this.shop.setListed(id, false);
  }

  @Get('categories')
  @ApiOperation({ summary: 'All categories in tree order, with depth' })
  categories() {
    return this.shop.categoryRows();
  }

  @Post('categories')
  createCategory(@Body() body: CategoryInput) {
    return this.shop.createCategory(body);
  }

  @Put('categories/:id')
  @ApiOperation({ summary: 'Replace a category; moving it under itself or a descendant is refused (400 category_cycle)' })
  updateCategory(@Param('id', IdPipe) id: number, @Body() body: CategoryInput) {
    return this.shop.updateCategory(id, body);
  }

  @Get('orders')
  @ApiOperation({ summary: 'Orders, newest first; filter by status, search order no / recipient / phone' })
  async orderList(@Query() q: AdminOrderQuery) {
    const pageSize = q.pageSize ?? 20;
    const result = await this.orders.listAll({ status: q.status, q: q.q?.trim() || undefined }, q.page ?? 1, pageSize);
    return { ...result, pageCount: Math.max(1, Math.ceil(result.total / pageSize)) };
  }

  @Get('orders/:orderNo')
  async order(@Param('orderNo', OrderNoPipe) orderNo: string) {
    const view = await this.shop.order(orderNo);
    return { ...view, actions: this.shop.adminActions(view.status) };
  }

  @Post('orders/:orderNo/ship')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ship a paid order (409 for any other status)' })
  ship(@Param('orderNo', OrderNoPipe) orderNo: string, @Body() body: ShipInput, @CurrentAdmin() admin: AdminUser) {
    return this.shop.ship(orderNo, admin.id, body.carrier, body.trackingNo);
  }

  @Post('orders/:orderNo/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an unpaid order: stock comes back, open payments are closed (409 unless pending_payment)' })
  cancel(@Param('orderNo', OrderNoPipe) orderNo: string, @CurrentAdmin() admin: AdminUser) {
    return this.shop.cancel(orderNo, admin.id);
  }

  @Post('orders/:orderNo/refund')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refund a paid, shipped or completed order in full; stock comes back when it had not shipped' })
  refund(@Param('orderNo', OrderNoPipe) orderNo: string, @Body() body: RefundInput, @CurrentAdmin() admin: AdminUser) {
    return this.shop.refund(orderNo, admin.id, body.reason);
  }

  @Get('shipping')
  @ApiOperation({ summary: 'The default shipping template (fen)' })
  shipping() {
    return this.shop.defaultShipping();
  }

  @Put('shipping')
  saveShipping(@Body() body: ShippingTemplateInput) {
    return this.shop.saveDefaultShipping({ name: body.name, firstItemFee: body.firstItemFee, additionalItemFee: body.additionalItemFee, freeFrom: body.freeFrom ?? null });
  }
}
