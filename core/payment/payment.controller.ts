import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentMember, MemberGuard } from '../auth/member-session.js';
import { DomainError, NotFoundError } from '../common/errors.js';
import { Member } from '../customer/entities/member.entity.js';
import { OrderService } from '../order/order.service.js';
import { ThemeService } from '../theme/theme.service.js';
import { PaymentService } from './payment.service.js';
import { SandboxPaymentProvider } from './providers/sandbox.provider.js';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

@ApiExcludeController()
@Controller('payments')
export class PaymentController {
  constructor(
    private readonly payments: PaymentService,
    private readonly orders: OrderService,
    private readonly theme: ThemeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Provider notifications: verified by the provider, applied once, answered as the provider expects. */
  @Post(':provider/notify')
  async notify(@Param('provider') providerId: string, @Req() req: RawRequest, @Res() reply: FastifyReply) {
    const provider = this.payments.provider(providerId);
    let ok = true;
    try {
      await this.payments.handleNotification(providerId, { headers: req.headers, rawBody: req.rawBody?.toString('utf8') ?? '' });
    } catch (err) {
      ok = false;
      if (!(err instanceof DomainError)) throw err;
    }
    const answer = provider.notificationReply(ok);
    void reply.status(answer.status).header('content-type', answer.contentType ?? 'application/json; charset=utf-8').send(answer.body);
  }

  /** The sandbox cashier page (what WeChat Pay's sheet is in production). */
  @Get('sandbox/:paymentNo')
  @UseGuards(MemberGuard)
  async sandboxPage(@CurrentMember() m: Member, @Param('paymentNo') paymentNo: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { payment, order } = await this.ownPayment(m, paymentNo);
    await this.theme.renderPage(req, reply, ['sandbox-pay'], { payment: { paymentNo: payment.paymentNo, amount: payment.amount, status: payment.status }, order: await this.orders.view(order) });
  }

  /** The sandbox cashier's "pay" button: sends itself a signed notification, verified like a real one. */
  @Post('sandbox/:paymentNo/confirm')
  @HttpCode(200)
  @UseGuards(MemberGuard)
  async sandboxConfirm(@CurrentMember() m: Member, @Param('paymentNo') paymentNo: string) {
    if (!this.config.sandboxEnabled) throw new NotFoundError('payment', paymentNo);
    const { payment, order } = await this.ownPayment(m, paymentNo);
    const sandbox = this.payments.provider('sandbox') as SandboxPaymentProvider;
    const outcome = await this.payments.handleNotification('sandbox', sandbox.signedNotification(payment.paymentNo, payment.amount));
    return { outcome, orderNo: order.orderNo, redirect: `/orders/${order.orderNo}` };
  }

  private async ownPayment(m: Member, paymentNo: string) {
    const payment = await this.payments.paymentByNo(paymentNo);
    const order = await this.orders.byId(payment.orderId);
    if (payment.provider !== 'sandbox' || order.memberId !== m.id) throw new NotFoundError('payment', paymentNo);
    return { payment, order };
  }
}
