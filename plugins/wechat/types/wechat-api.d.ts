/** The parts of `wechat-api` (CommonJS, untyped) that the adapter uses. */
declare module 'wechat-api' {
  type Callback<T> = (err: (Error & { code?: number }) | null, data: T) => void;
  interface StoredToken { accessToken: string; expireTime: number }
  interface StoredTicket { ticket: string; expireTime: number }

  class WechatAPI {
    constructor(
      appid: string,
      appsecret: string,
      getToken?: (callback: (err: Error | null, token?: StoredToken | null) => void) => void,
      saveToken?: (token: StoredToken, callback: (err: Error | null) => void) => void,
    );
    endpoint: string;
    mpPrefix: string;
    setOpts(opts: { timeout?: number }): void;
    registerTicketHandle(
      getTicketToken?: (type: string, callback: (err: Error | null, ticket?: StoredTicket | null) => void) => void,
      saveTicketToken?: (type: string, ticket: StoredTicket, callback: (err: Error | null) => void) => void,
    ): void;
    getTicket(type: string, callback: Callback<StoredTicket>): void;
    createTmpQRCode(sceneId: number | string, expire: number, callback: Callback<{ ticket: string; expire_seconds: number; url: string }>): void;
    createLimitQRCode(sceneId: number | string, callback: Callback<{ ticket: string; url: string }>): void;
    createMenu(menu: unknown, callback: Callback<{ errcode: number; errmsg: string }>): void;
    getMenu<T>(callback: Callback<T>): void;
    sendTemplate(openid: string, templateId: string, dest: string | { url?: string }, data: unknown, callback: Callback<{ errcode: number; errmsg: string; msgid: number }>): void;
    getUser<T>(options: { openid: string; lang: string }, callback: Callback<T>): void;
  }
  export = WechatAPI;
}
