import { Injectable, Logger } from '@nestjs/common';
import type { ScheduledJob } from '../../../core/plugin/index.js';
import { WechatInboundService } from './inbound.service.js';
import { WechatTokenManager } from './token-manager.service.js';

/** Keeps the shared access_token (and jsapi_ticket, once used) fresh before they expire; one instance per tick. */
@Injectable()
export class RefreshCredentialsJob implements ScheduledJob {
  readonly name = 'wechat:refresh-credentials';
  readonly everySeconds = 60;
  private readonly logger = new Logger('WeChat');
  constructor(private readonly tokens: WechatTokenManager) {}
  async run(): Promise<void> {
    try {
      await this.tokens.refreshDue();
    } catch (err) {
      this.logger.warn(`WeChat credential refresh failed: ${(err as Error).message}`);
    }
  }
}

/** Forgets de-duplication keys of messages older than three days. */
@Injectable()
export class PruneInboundJob implements ScheduledJob {
  readonly name = 'wechat:prune-inbound';
  readonly everySeconds = 3600;
  constructor(private readonly inbound: WechatInboundService) {}
  async run(): Promise<void> {
    await this.inbound.prune(3);
  }
}
