import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp, type TestAppOptions } from '../../../tests/support/test-app.js';
import { WechatEmulator, type EmulatorApp, type EmulatorAppInput } from '../emulator/wechat-emulator.js';

export const APP = {
  appId: 'wx1a2b3c4d5e6f7a8b',
  secret: 'test-app-secret-0123456789',
  token: 'malltoken2026',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

export interface WechatWorld {
  emu: WechatEmulator;
  app: EmulatorApp;
  /** The mall, listening on 127.0.0.1 so the emulator can push to it. */
  t: TestApp;
  mallUrl: string;
}

const ENV_KEYS = ['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_TOKEN', 'WECHAT_ENCODING_AES_KEY', 'WECHAT_API_BASE', 'WECHAT_MESSAGE_MODE', 'WECHAT_TOKEN_API'];

/** Sets the WECHAT_* environment for the next app start (the plugin reads it when it starts). */
export function setWechatEnv(values: Record<string, string | undefined>): void {
  for (const k of ENV_KEYS) delete process.env[k];
  for (const [k, v] of Object.entries(values)) if (v !== undefined) process.env[k] = v;
}

/** An emulator with the test account, and a mall (PLUGINS includes wechat) configured for it through the environment. */
export async function startWorld(opts: { plugins?: string; messageMode?: 'plain' | 'compatible' | 'safe'; env?: Record<string, string>; app?: Partial<EmulatorAppInput>; appOptions?: TestAppOptions; emulator?: WechatEmulator } = {}): Promise<WechatWorld> {
  const emu = opts.emulator ?? new WechatEmulator({ graceSeconds: 0 });
  if (!opts.emulator) await emu.start();
  setWechatEnv({
    WECHAT_APP_ID: APP.appId, WECHAT_APP_SECRET: APP.secret, WECHAT_TOKEN: APP.token, WECHAT_ENCODING_AES_KEY: APP.encodingAesKey,
    WECHAT_API_BASE: emu.baseUrl, WECHAT_MESSAGE_MODE: opts.messageMode ?? 'compatible',
  });
  let t: TestApp;
  try {
    t = await startTestApp({ ...opts.appOptions, env: { PLUGINS: opts.plugins ?? 'wechat', MALL_CONFIG: '/nonexistent/mall.config.json', ...opts.env, ...opts.appOptions?.env } });
  } catch (err) {
    if (!opts.emulator) await emu.stop();
    throw err;
  }
  await t.app.listen(0, '127.0.0.1');
  const mallUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const app = emu.apps.get(APP.appId) ?? emu.registerApp({ ...APP, mallUrl, messageMode: 'safe', oauthDomain: 'mall.test', ...opts.app });
  return { emu, app, t, mallUrl };
}

export async function stopWorld(w: WechatWorld | undefined, stopEmulator = true): Promise<void> {
  if (!w) return;
  await w.t.close();
  if (stopEmulator) await w.emu.stop();
  setWechatEnv({});
}

/** Follows a redirect's Location into path + query on the mall (drops the origin). */
export function localPath(location: string): string {
  const u = new URL(location, 'http://mall.test');
  return `${u.pathname}${u.search}`;
}
