import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DEMO_APP, WechatEmulator } from '../emulator/wechat-emulator.js';
import { WechatConfigService } from './wechat-config.service.js';

/**
 * Sandbox mode inside the app: with WECHAT_EMULATOR_PORT set, the mall starts the WeChat emulator
 * on that port (127.0.0.1 unless WECHAT_EMULATOR_HOST says otherwise) with a demo account, and uses
 * it for whatever the environment and admin leave unconfigured. Open the emulator's page to play the
 * WeChat side. Never enable it in production.
 */
@Injectable()
export class SandboxEmulatorHost implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WeChat');
  emulator: WechatEmulator | null = null;

  constructor(private readonly config: WechatConfigService) {}

  async onModuleInit(): Promise<void> {
    const port = process.env.WECHAT_EMULATOR_PORT?.trim();
    if (!port) return;
    if (!/^\d{1,5}$/.test(port)) throw new Error(`WECHAT_EMULATOR_PORT="${port}" must be a port number`);
    if (!this.config.appConfig.sandboxEnabled) {
      this.logger.warn('WECHAT_EMULATOR_PORT is ignored because SANDBOX=false');
      return;
    }
    const emu = new WechatEmulator();
    const base = await emu.start(Number(port), process.env.WECHAT_EMULATOR_HOST?.trim() || '127.0.0.1');
    emu.registerApp({ ...DEMO_APP, messageMode: 'safe', mallUrl: this.config.publicUrl, oauthDomain: new URL(this.config.publicUrl).host });
    this.config.useEmulatorDefaults({ appId: DEMO_APP.appId, appSecret: DEMO_APP.secret, token: DEMO_APP.token, encodingAesKey: DEMO_APP.encodingAesKey, apiBase: base, messageMode: 'safe' });
    this.emulator = emu;
    this.logger.log(`WeChat emulator (sandbox) running at ${base} — open it to follow, scan and sign in as fake WeChat users`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.stop();
  }
}
