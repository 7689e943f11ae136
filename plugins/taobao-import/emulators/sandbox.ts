/**
 * A sandbox for trying the import without a Taobao shop:
 *
 *   node dist/plugins/taobao-import/emulators/sandbox.js [--items 60] [--top-port 7701] [--collector-port 7702] [--zip ./taobao-sample.zip]
 *
 * starts the TOP gateway emulator and the item-URL collector emulator, prints the plugin settings to
 * use (mall.config.json or 插件 → 淘宝商品搬家), and can write a sample Taobao Assistant export zip to
 * upload. Stop with Ctrl-C.
 */
import { writeAssistantZip, sampleShop } from '../testing/fixtures.js';
import { emulatorShop, startTopEmulator } from './top-emulator.js';
import { startItemUrlEmulator } from './item-url-emulator.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const items = Number(arg('items', '60'));
  const top = await startTopEmulator({
    appKey: '12345678', appSecret: 'sandbox-secret', items: emulatorShop(items),
    sessions: { 'sandbox-session': { nick: '沙箱小店' }, 'expired-session': { nick: '沙箱小店', expired: true } },
    port: Number(arg('top-port', '0')),
  });
  const collector = await startItemUrlEmulator({
    key: 'sandbox-key', port: Number(arg('collector-port', '0')),
    items: emulatorShop(5, { startNumIid: 810_000_000_001 }).map((i) => ({
      numIid: String(i.num_iid), title: `${i.title}（链接采集）`, price: i.price ?? '1.00', quantity: i.num, descriptionHtml: i.desc, images: (i.item_imgs?.item_img ?? []).map((x) => x.url),
    })),
  });
  const zip = arg('zip', '');
  if (zip) writeAssistantZip(zip, sampleShop(items));
  const settings = {
    topGatewayUrl: top.url, topAppKey: '12345678', topAppSecret: 'sandbox-secret', topSession: 'sandbox-session', topSignMethod: 'hmac',
    itemUrlProviderUrl: collector.url, itemUrlProviderKey: 'sandbox-key',
  };
  console.log(`TOP gateway emulator:      ${top.url}  (${items} items; session "expired-session" answers an expired SessionKey)`);
  console.log(`item-URL collector:        ${collector.url}  (items https://item.taobao.com/item.htm?id=810000000001 … 810000000005)`);
  if (zip) console.log(`Taobao Assistant export:   ${zip}  (upload it at /admin/taobao-import)`);
  console.log('\nmall.config.json:');
  console.log(JSON.stringify({ plugins: { 'taobao-import': { enabled: true, settings } } }, null, 2));
  const stop = async () => {
    await top.close();
    await collector.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
