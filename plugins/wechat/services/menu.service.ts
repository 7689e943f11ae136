import { Injectable } from '@nestjs/common';
import { BadInputError, PluginRegistry } from '../../../core/plugin/index.js';
import { WechatApiClient } from './wechat-api.client.js';
import { WechatConfigService, type MenuButton, type WechatMenu } from './wechat-config.service.js';

/** The custom menu (自定义菜单): edited in admin, synced to WeChat; the mall's entry points by default. */
@Injectable()
export class WechatMenuService {
  constructor(private readonly config: WechatConfigService, private readonly api: WechatApiClient, private readonly registry: PluginRegistry) {}

  /** 进入商城 · 我的订单 · 推广中心 (the last when distribution runs). */
  defaultMenu(): WechatMenu {
    const button: MenuButton[] = [{ type: 'view', name: '进入商城', url: '/' }, { type: 'view', name: '我的订单', url: '/orders' }];
    if (this.registry.isActive('distribution')) button.push({ type: 'view', name: '推广中心', url: '/distribution' });
    return { button };
  }

  async current(): Promise<WechatMenu> {
    return (await this.config.content()).menu ?? this.defaultMenu();
  }

  async save(menu: WechatMenu): Promise<WechatMenu> {
    const problems = validateMenu(menu);
    if (problems.length) throw new BadInputError('menu', problems.join('; '), 'invalid_menu');
    await this.config.saveContent({ menu: normalise(menu) });
    return this.current();
  }

  /** Pushes the menu to WeChat, with the mall's relative links made absolute. */
  async sync(): Promise<WechatMenu> {
    const menu = await this.current();
    const problems = validateMenu(menu);
    if (problems.length) throw new BadInputError('menu', problems.join('; '), 'invalid_menu');
    const absolute = (b: MenuButton): MenuButton => ({
      ...b,
      ...(b.url ? { url: b.url.startsWith('/') ? `${this.config.publicUrl}${b.url}` : b.url } : {}),
      ...(b.sub_button ? { sub_button: b.sub_button.map(absolute) } : {}),
    });
    const wire = { button: menu.button.map(absolute) };
    await this.api.createMenu(wire);
    return wire;
  }
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The documents' limits: 1-3 buttons, 1-5 sub-buttons, names ≤16/60 bytes, click keys ≤128 bytes, view URLs ≤1024 bytes. */
export function validateMenu(menu: WechatMenu): string[] {
  const out: string[] = [];
  if (!menu || !Array.isArray(menu.button) || menu.button.length < 1 || menu.button.length > 3) return ['the menu needs 1 to 3 buttons'];
  const leaf = (b: MenuButton, where: string, maxName: number) => {
    if (typeof b.name !== 'string' || !b.name.trim() || bytes(b.name) > maxName) out.push(`${where}: name must be 1-${maxName} bytes (${maxName / 4} Chinese characters)`);
    if (b.type === 'click') {
      if (typeof b.key !== 'string' || !b.key || bytes(b.key) > 128) out.push(`${where}: a click button needs a key of at most 128 bytes`);
    } else if (b.type === 'view') {
      if (typeof b.url !== 'string' || !/^(\/|https?:\/\/)/.test(b.url) || bytes(b.url) > 1024) out.push(`${where}: a view button needs a link (/path or http(s)://…)`);
    } else out.push(`${where}: type must be click or view`);
  };
  menu.button.forEach((b, i) => {
    if (Array.isArray(b.sub_button) && b.sub_button.length) {
      if (typeof b.name !== 'string' || !b.name.trim() || bytes(b.name) > 16) out.push(`button ${i + 1}: name must be 1-16 bytes`);
      if (b.sub_button.length > 5) out.push(`button ${i + 1}: at most 5 sub-buttons`);
      b.sub_button.forEach((s, j) => leaf(s, `button ${i + 1}.${j + 1}`, 60));
    } else leaf(b, `button ${i + 1}`, 16);
  });
  return out;
}

function normalise(menu: WechatMenu): WechatMenu {
  const clean = (b: MenuButton): MenuButton => (b.sub_button?.length
    ? { name: b.name.trim(), sub_button: b.sub_button.map(clean) }
    : { type: b.type, name: b.name.trim(), ...(b.type === 'click' ? { key: b.key } : { url: b.url }) });
  return { button: menu.button.map(clean) };
}
