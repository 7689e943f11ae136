import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentMember, MemberGuard } from '../auth/member-session.js';
import { Member } from '../customer/entities/member.entity.js';
import { PaymentService } from '../payment/payment.service.js';
import { CheckoutInput, OrderListQuery, PayInput } from './dto/order.dto.js';
import { OrderService } from './order.service.js';

@ApiTags('orders')
@Controller('api/v1')
@UseGuards(MemberGuard)
export class OrderController {
  constructor(private readonly orders: OrderService, private readonly payments: PaymentService) {}

  @Post('checkout/preview')
  @HttpCode(200)
  preview(@CurrentMember() m: Member, @Body() body: CheckoutInput) {
    return this.orders.preview(m.id, body);
  }

  @Post('orders')
  async place(@CurrentMember() m: Member, @Body() body: CheckoutInput) {
    const order = await this.orders.place(m.id, body);
    return this.withActions(order);
  }

  @Get('orders')
  list(@CurrentMember() m: Member, @Query() q: OrderListQuery) {
    return this.orders.listForMember(m.id, q.status, q.page, q.pageSize);
  }

  @Get('orders/:orderNo')
  async detail(@CurrentMember() m: Member, @Param('orderNo') orderNo: string) {
    return this.withActions(await this.orders.forMember(m.id, orderNo));
  }

  @Post('orders/:orderNo/cancel')
  @HttpCode(200)
  async cancel(@CurrentMember() m: Member, @Param('orderNo') orderNo: string) {
    const order = await this.orders.close(orderNo, `member:${m.id}`, 'buyer_cancelled', m.id);
    await this.payments.closeOpenPayments(order.id);
    return this.withActions(order);
  }

  @Post('orders/:orderNo/confirm-receipt')
  @HttpCode(200)
  async confirmReceipt(@CurrentMember() m: Member, @Param('orderNo') orderNo: string) {
    return this.withActions(await this.orders.complete(orderNo, `member:${m.id}`, m.id));
  }

  @Post('orders/:orderNo/payments')
  @HttpCode(200)
  pay(@CurrentMember() m: Member, @Param('orderNo') orderNo: string, @Body() body: PayInput) {
    return this.payments.start(m, orderNo, body.provider);
  }

  private async withActions(order: Parameters<OrderService['view']>[0]) {
    const view = await this.orders.view(order);
    return { ...view, actions: this.orders.buyerActions(view.status) };
  }
}
