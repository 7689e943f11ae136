/**
 * The WeChat emulator beside the mall (sandbox mode), in one command:
 *
 *   npm run wechat:emulator                      # port 4100, mall at http://localhost:3000
 *   npm run wechat:emulator -- --port 4100 --mall http://localhost:3000
 *
 * The account is WECHAT_APP_ID / WECHAT_APP_SECRET / WECHAT_TOKEN / WECHAT_ENCODING_AES_KEY when set,
 * else a fixed demo account. Start the mall with the lines this prints, then open the emulator page.
 */
import { DEMO_APP, WechatEmulator } from './wechat-emulator.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.WECHAT_EMULATOR_PORT || '4100'));
const host = arg('host', process.env.WECHAT_EMULATOR_HOST || '127.0.0.1');
const mallUrl = arg('mall', process.env.PUBLIC_URL || 'http://localhost:3000').replace(/\/+$/, '');
const account = {
  appId: process.env.WECHAT_APP_ID || DEMO_APP.appId,
  secret: process.env.WECHAT_APP_SECRET || DEMO_APP.secret,
  token: process.env.WECHAT_TOKEN || DEMO_APP.token,
  encodingAesKey: process.env.WECHAT_ENCODING_AES_KEY || DEMO_APP.encodingAesKey,
};

const emu = new WechatEmulator();
const base = await emu.start(port, host);
emu.registerApp({ ...account, messageMode: 'safe', mallUrl, oauthDomain: new URL(mallUrl).host });
console.log(`WeChat emulator: ${base}  (sandbox page: ${base}/)

Start the mall against it (another terminal):
  WECHAT_API_BASE=${base} WECHAT_APP_ID=${account.appId} WECHAT_APP_SECRET=${account.secret} \\
  WECHAT_TOKEN=${account.token} WECHAT_ENCODING_AES_KEY=${account.encodingAesKey} WECHAT_MESSAGE_MODE=safe \\
  PUBLIC_URL=${mallUrl} PLUGINS=wechat npm start
`);
const stop = () => void emu.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
