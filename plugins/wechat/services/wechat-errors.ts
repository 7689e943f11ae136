/** An error answer of a WeChat API ({ errcode, errmsg }). */
export class WechatApiError extends Error {
  constructor(readonly errcode: number, readonly errmsg: string, readonly api: string) {
    super(`WeChat ${api}: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/** The token was refused: fetch a new one once and try again. */
export const TOKEN_REJECTED = new Set([40001, 40014, 42001]);

/** Errors that retrying later will not fix (a template message is marked failed, not retried). */
export const PERMANENT_ERRORS = new Set([40003, 40013, 40037, 40125, 40164, 43004, 43101, 48001, 40036, 47003]);

/** What a merchant should do about an error code, in plain words (zh-CN, en). */
export function explainWechatError(errcode: number, errmsg = ''): { zh: string; en: string } {
  const ip = /(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]{3,})/i.exec(errmsg)?.[1];
  switch (errcode) {
    case 40013:
      return { zh: 'AppID 不正确：请在公众号后台「设置与开发 → 基本配置」复制 AppID。', en: 'The AppID is wrong: copy it from the WeChat console (Settings & Development → Basic configuration).' };
    case 40001:
    case 40125:
      return { zh: 'AppSecret 不正确（或已被重置）：请在公众号后台重新获取 AppSecret 后填写。', en: 'The AppSecret is wrong (or was reset): get the current AppSecret from the WeChat console.' };
    case 40164:
      return {
        zh: `服务器 IP ${ip ?? ''} 不在公众号的 IP 白名单中：请在「基本配置 → IP 白名单」中加入本服务器的公网出口 IP。`,
        en: `This server's IP ${ip ?? ''} is not in the account's IP whitelist: add the server's public outgoing IP under Basic configuration → IP whitelist.`,
      };
    case 48001:
      return { zh: '该公众号没有这个接口的权限：需要已认证的服务号（带参二维码、模板消息、自定义菜单、网页授权都需要认证）。', en: 'The account lacks this API: it needs a verified service account (QR codes, template messages, menus and web OAuth require verification).' };
    case 42001:
      return { zh: 'access_token 已过期，系统会自动重新获取。', en: 'The access_token expired; it is fetched again automatically.' };
    case 40014:
      return { zh: 'access_token 无效，系统会自动重新获取。', en: 'The access_token is invalid; it is fetched again automatically.' };
    case 43004:
      return { zh: '该用户未关注公众号，无法接收模板消息。', en: 'The user does not follow the account and cannot receive template messages.' };
    case 40037:
      return { zh: '模板 ID 不正确：请在「广告与服务 → 模板消息」中复制模板 ID。', en: 'The template id is wrong: copy it from the template-message library in the WeChat console.' };
    case 45009:
      return { zh: '接口调用次数已达今日上限。', en: 'The daily API quota is used up.' };
    case -1:
      return { zh: '微信系统繁忙，请稍后再试。', en: 'WeChat is busy; try again later.' };
    default:
      return { zh: `微信返回错误 ${errcode}：${errmsg}`, en: `WeChat answered ${errcode}: ${errmsg}` };
  }
}
