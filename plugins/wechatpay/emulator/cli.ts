import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WechatpayEmulator, type VerifyMode } from './wechatpay-emulator.js';

/**
 * A sandbox WeChat Pay: `node dist/plugins/wechatpay/emulator/cli.js [public_key|platform_certificate] [port]`.
 * Makes fresh merchant and platform keys (in a temporary folder, never in the repository) and prints
 * the WECHATPAY_* environment that points the mall at it.
 */
const mode = (process.argv[2] === 'platform_certificate' ? 'platform_certificate' : 'public_key') as VerifyMode;
const port = Number(process.argv[3] ?? 8790);
const emu = new WechatpayEmulator({ mode });
await emu.start(port, '127.0.0.1');
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const m = { appid: process.env.WECHATPAY_APPID ?? 'wx0123456789abcdef', mchid: '1900009191', serial: randomBytes(20).toString('hex').toUpperCase(), apiV3Key: randomBytes(16).toString('hex') };
emu.registerMerchant({ ...m, merchantPublicKey: merchant.publicKey });
const dir = mkdtempSync(join(tmpdir(), 'wxpay-sandbox-'));
writeFileSync(join(dir, 'apiclient_key.pem'), merchant.privateKey, { mode: 0o600 });
writeFileSync(join(dir, 'wechatpay.pem'), emu.platformVerifierPem);
console.log(`WeChat Pay emulator (${mode}) on ${emu.baseUrl}\n\nexport WECHATPAY_API_BASE=${emu.baseUrl}\nexport WECHATPAY_APPID=${m.appid}\nexport WECHATPAY_MCHID=${m.mchid}\nexport WECHATPAY_SERIAL=${m.serial}\nexport WECHATPAY_APIV3_KEY=${m.apiV3Key}\nexport WECHATPAY_PRIVATE_KEY_PATH=${join(dir, 'apiclient_key.pem')}\nexport WECHATPAY_PUBLIC_KEY_PATH=${join(dir, 'wechatpay.pem')}\nexport WECHATPAY_VERIFY_MODE=${mode}${mode === 'public_key' ? `\nexport WECHATPAY_PUBLIC_KEY_ID=${emu.publicKeyId}` : ''}\n\nNotifications go to the notify_url the mall sends (its PUBLIC_URL). Ctrl-C stops.`);
