import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../../tests/support/test-app.js';
import { WechatpayEmulator, type VerifyMode } from '../emulator/wechatpay-emulator.js';

export const MERCHANT = { appid: 'wx0123456789abcdef', mchid: '1900009191', serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' } as const;

export interface PayWorld {
  emu: WechatpayEmulator;
  t: TestApp;
  mallUrl: string;
  apiV3Key: string;
  merchantKeys: { publicKey: string; privateKey: string };
  stop(): Promise<void>;
}

const ENV = ['WECHATPAY_APPID', 'WECHATPAY_MCHID', 'WECHATPAY_APIV3_KEY', 'WECHATPAY_SERIAL', 'WECHATPAY_PRIVATE_KEY_PATH', 'WECHATPAY_PUBLIC_KEY_PATH', 'WECHATPAY_PUBLIC_KEY_ID', 'WECHATPAY_API_BASE', 'WECHATPAY_VERIFY_MODE'];

/** A WeChat Pay emulator, a merchant with fresh keys (made now, never committed), and a mall configured through WECHATPAY_*. */
export async function startPayWorld(opts: { mode?: VerifyMode; plugins?: string } = {}): Promise<PayWorld> {
  let mallUrl = '';
  const emu = new WechatpayEmulator({ mode: opts.mode ?? 'public_key', rewriteUrl: (u) => u.replace('http://mall.test', mallUrl) });
  await emu.start();
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const apiV3Key = randomBytes(16).toString('hex');
  emu.registerMerchant({ ...MERCHANT, merchantPublicKey: merchantKeys.publicKey, apiV3Key });
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-test-'));
  writeFileSync(join(dir, 'apiclient_key.pem'), merchantKeys.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'platform.pem'), emu.platformVerifierPem);
  for (const k of ENV) delete process.env[k];
  Object.assign(process.env, {
    WECHATPAY_APPID: MERCHANT.appid, WECHATPAY_MCHID: MERCHANT.mchid, WECHATPAY_SERIAL: MERCHANT.serial, WECHATPAY_APIV3_KEY: apiV3Key,
    WECHATPAY_PRIVATE_KEY_PATH: join(dir, 'apiclient_key.pem'), WECHATPAY_PUBLIC_KEY_PATH: join(dir, 'platform.pem'),
    WECHATPAY_API_BASE: emu.baseUrl, WECHATPAY_VERIFY_MODE: emu.mode,
    ...(emu.mode === 'public_key' ? { WECHATPAY_PUBLIC_KEY_ID: emu.publicKeyId } : {}),
  });
  let t: TestApp;
  try {
    t = await startTestApp({ env: { PLUGINS: opts.plugins ?? 'wechatpay', MALL_CONFIG: '/nonexistent/mall.config.json' } });
  } catch (err) {
    await emu.stop();
    throw err;
  }
  await t.app.listen(0, '127.0.0.1');
  mallUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return {
    emu, t, mallUrl, apiV3Key, merchantKeys,
    async stop() {
      await emu.stop();
      await t.close();
      for (const k of ENV) delete process.env[k];
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
