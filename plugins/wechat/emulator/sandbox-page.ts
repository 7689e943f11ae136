import type { WechatEmulator } from './wechat-emulator.js';

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The sandbox: a person plays WeChat in an ordinary browser — picks or creates a fake user, follows
 * the account, "scans" a distributor's QR code, sends a message, opens the mall as that user (web
 * OAuth through the emulator) and reads the template messages the mall sent them.
 */
export function renderSandboxPage(emu: WechatEmulator, appId: string, note: string, currentOpenid: string): string {
  const app = emu.apps.get(appId);
  if (!app) {
    return page('<p>模拟器里还没有公众号。启动商城时设置 <code>WECHAT_EMULATOR_PORT</code>，或运行 <code>npm run wechat:emulator</code>。</p>');
  }
  const users = emu.users(appId);
  const qrs = [...emu.qrcodes.values()].filter((q) => q.appId === appId);
  const inbox = emu.templateMessages.filter((m) => m.appId === appId).slice(-30).reverse();
  const hidden = (openid: string) => `<input type="hidden" name="app" value="${esc(appId)}"><input type="hidden" name="openid" value="${esc(openid)}">`;
  const qrOptions = qrs.map((q) => `<option value="${esc(q.ticket)}">${esc(q.sceneStr ?? q.sceneId)}${q.expiresAt ? ' (临时)' : ''}</option>`).join('');
  const userRows = users.map((u) => {
    const name = users.find((x) => x.openid === u.openid)?.nickname ?? '';
    const messages = inbox.filter((m) => m.touser === u.openid);
    return `<section class="user${u.openid === currentOpenid ? ' current' : ''}">
<header><img src="${esc(emu.avatarOf(u))}" width="40" height="40" alt=""><div><strong>${esc(name)}</strong><div class="muted">${esc(u.openid)}</div></div>
<span class="badge ${u.subscribed ? 'on' : ''}">${u.subscribed ? '已关注' : '未关注'}</span></header>
<div class="actions">
<a class="btn primary" href="/sandbox/open?app=${encodeURIComponent(appId)}&openid=${encodeURIComponent(u.openid)}&next=/">以此身份打开商城</a>
${u.subscribed
    ? `<form method="post" action="/sandbox/unfollow">${hidden(u.openid)}<button class="btn">取消关注</button></form>`
    : `<form method="post" action="/sandbox/follow">${hidden(u.openid)}<button class="btn">关注公众号</button></form>`}
</div>
<form method="post" action="/sandbox/scan" class="row">${hidden(u.openid)}
<select name="ticket">${qrOptions || '<option value="">（商城还没有生成带参二维码）</option>'}</select><button class="btn">扫码</button></form>
<form method="post" action="/sandbox/text" class="row">${hidden(u.openid)}<input name="content" placeholder="发消息给公众号，如：客服" maxlength="600"><button class="btn">发送</button></form>
${app.menu ? `<form method="post" action="/sandbox/click" class="row">${hidden(u.openid)}<select name="key">${menuKeys(app.menu).map((k) => `<option>${esc(k)}</option>`).join('')}</select><button class="btn">点菜单</button></form>` : ''}
${messages.length ? `<h4>模板消息</h4>${messages.map((m) => `<div class="msg"><div class="muted">${new Date(m.at).toLocaleString('zh-CN')} · ${esc(m.templateId)}</div>${Object.entries(m.data).map(([k, v]) => `<div><span class="muted">${esc(k)}</span> ${esc(v.value)}</div>`).join('')}${m.url ? `<a href="${esc(m.url)}">详情</a>` : ''}</div>`).join('')}` : ''}
</section>`;
  }).join('');
  return page(`
<p class="muted">公众号 ${esc(app.originalId)} · AppID ${esc(app.appId)} · 消息模式 ${app.messageMode === 'safe' ? '安全模式' : '明文模式'} · 商城 ${app.mallUrl ? `<a href="${esc(app.mallUrl)}">${esc(app.mallUrl)}</a>` : '（未设置）'}</p>
${note ? `<p class="note">${esc(note)}</p>` : ''}
<form method="post" action="/sandbox/users" class="row"><input type="hidden" name="app" value="${esc(appId)}"><input name="nickname" placeholder="新建模拟微信用户：昵称" maxlength="32" required><button class="btn primary">新建用户</button></form>
${userRows || '<p class="muted">还没有模拟用户。</p>'}
<details><summary>带参二维码 (${qrs.length})</summary>${qrs.map((q) => `<div class="qr"><img src="/cgi-bin/showqrcode?ticket=${encodeURIComponent(q.ticket)}" width="120" height="120" alt=""> ${esc(q.actionName)} · ${esc(q.sceneStr ?? q.sceneId)}</div>`).join('') || '<p class="muted">无</p>'}</details>
${app.menu ? `<details><summary>自定义菜单</summary><pre>${esc(JSON.stringify(app.menu, null, 2))}</pre></details>` : ''}`);
}

function menuKeys(menu: unknown): string[] {
  const out: string[] = [];
  const walk = (buttons: unknown) => {
    if (!Array.isArray(buttons)) return;
    for (const b of buttons as Array<Record<string, unknown>>) {
      if (b.type === 'click' && typeof b.key === 'string') out.push(b.key);
      walk(b.sub_button);
    }
  };
  walk((menu as { button?: unknown }).button);
  return out;
}

function page(body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>微信模拟器 · 沙箱</title>
<style>
body{font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;max-width:720px;margin:0 auto;padding:16px;color:#222;background:#f5f5f5}
h1{font-size:20px}.muted{color:#888;font-size:12px}.note{background:#e8f7ee;border:1px solid #b7e4c7;padding:8px 12px;border-radius:6px}
.user{background:#fff;border-radius:10px;padding:12px 14px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}.user.current{outline:2px solid #07c160}
.user header{display:flex;gap:10px;align-items:center}.user header img{border-radius:6px}.user header div{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis}
.badge{font-size:12px;padding:2px 8px;border-radius:10px;background:#eee}.badge.on{background:#07c160;color:#fff}
.actions{display:flex;gap:8px;margin:10px 0;flex-wrap:wrap}.actions form{margin:0}.row{display:flex;gap:8px;margin:8px 0}.row input,.row select{flex:1;padding:8px;min-width:0}
.btn{display:inline-block;padding:8px 12px;border:1px solid #ccc;border-radius:6px;background:#fff;color:#222;text-decoration:none;font-size:14px;cursor:pointer}.btn.primary{background:#07c160;border-color:#07c160;color:#fff}
.msg{border-left:3px solid #07c160;padding:6px 10px;margin:6px 0;background:#fafafa;font-size:14px}.qr{display:flex;align-items:center;gap:10px;margin:6px 0}
</style></head><body><h1>微信模拟器 · 沙箱 <span class="muted">WeChat emulator</span></h1>${body}</body></html>`;
}
