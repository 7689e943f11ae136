import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WechatpayNotifications } from '../services/notifications.service.js';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

/** WeChat Pay's refund and transfer notifications (payments arrive at core's /payments/wechat/notify). */
@ApiExcludeController()
@Controller('payments/wechat')
export class WechatpayNotifyController {
  constructor(private readonly notifications: WechatpayNotifications) {}

  @Post('refund-notify')
  async refund(@Req() req: RawRequest, @Res() reply: FastifyReply) {
    this.answer(reply, await this.notifications.refundNotification(req.headers, req.rawBody?.toString('utf8') ?? ''));
  }

  @Post('transfer-notify')
  async transfer(@Req() req: RawRequest, @Res() reply: FastifyReply) {
    this.answer(reply, await this.notifications.transferNotification(req.headers, req.rawBody?.toString('utf8') ?? ''));
  }

  private answer(reply: FastifyReply, ok: boolean): void {
    if (ok) void reply.status(204).send();
    else void reply.status(400).header('content-type', 'application/json; charset=utf-8').send({ code: 'FAIL', message: '验签或数据校验未通过' });
  }
}
