import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import WechatAPI from 'wechat-api';
import { decryptMessage, encryptMessage, jsSdkSignature, messageSignature, serverSignature, WechatCryptoError } from '../services/wechat-crypto.js';
import { parseWechatXml, buildWechatXml, WechatXmlError, field } from '../services/wechat-xml.js';

const require = createRequire(import.meta.url);
/** An independent implementation from the npm registry (node-webot's wechat-crypto). */
const WXBizMsgCrypt = require('wechat-crypto') as new (token: string, key: string, appid: string) => {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(text: string): string;
  decrypt(text: string): { message: string; id: string };
};

/*
 * Worked examples of the official documents:
 * - Message push guide (developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html,
 *   the same scheme as the official-account "消息加解密说明" page): Token "AAAAA",
 *   EncodingAESKey "AAAA…A" (43), appid wxba5fad812f8e6fb9.
 * - JS-SDK 附录1 签名算法 (official-account JS-SDK document).
 */
const DOC = {
  token: 'AAAAA',
  aesKey: 'A'.repeat(43),
  appId: 'wxba5fad812f8e6fb9',
  encrypt: '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=',
};

describe('signatures and safe-mode crypto against the official examples', () => {
  it('GET handshake signature (token AAAAA, timestamp 1714036504, nonce 1514711492)', () => {
    assert.equal(serverSignature('AAAAA', '1714036504', '1514711492'), 'f464b24fc39322e44b38aa78f5edd27bd1441696');
  });

  it('plain-mode push signature (timestamp 1714037059, nonce 486452656)', () => {
    assert.equal(serverSignature('AAAAA', '1714037059', '486452656'), '899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });

  it('safe mode: msg_signature and decryption of the documents\' push', () => {
    assert.equal(messageSignature(DOC.token, '1714112445', '415670741', DOC.encrypt), '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3');
    const { message, appId } = decryptMessage(DOC.aesKey, DOC.encrypt);
    assert.equal(appId, DOC.appId);
    assert.equal(message, '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}');
    assert.equal(Buffer.byteLength(message), 167, 'msg_len of the example');
  });

  it('safe mode: encrypting the documents\' reply with their random prefix gives their Encrypt and MsgSignature', () => {
    const encrypt = encryptMessage(DOC.aesKey, DOC.appId, '{"demo_resp":"good luck"}', Buffer.from('707722b803182950'));
    assert.equal(encrypt, 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==');
    assert.equal(Buffer.from(encrypt, 'base64').length, 64, 'TmpMsg is 64 bytes (FullStr 63 padded to 32)');
    assert.equal(messageSignature(DOC.token, '1713424427', '415670741', encrypt), '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1');
  });

  it('JS-SDK signature: the documents\' examples', () => {
    const base = { jsapi_ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg', noncestr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457 };
    assert.equal(jsSdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=value' }), '0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    assert.equal(jsSdkSignature({ ...base, url: 'http://mp.weixin.qq.com' }), 'f4d90daf4b3bca3078ab155816175ba34c443a7b');
  });

  it('round trip with Chinese text, and padding to 32 bytes', () => {
    for (const text of ['', '你好，世界', 'x'.repeat(31), 'y'.repeat(32), '<xml><Content><![CDATA[中文 ]]></Content></xml>']) {
      const enc = encryptMessage(DOC.aesKey, DOC.appId, text);
      assert.equal(Buffer.from(enc, 'base64').length % 32, 0);
      assert.deepEqual(decryptMessage(DOC.aesKey, enc), { message: text, appId: DOC.appId });
    }
  });

  it('refuses malformed ciphertext and keys', () => {
    assert.throws(() => decryptMessage(DOC.aesKey, 'not base64!'), WechatCryptoError);
    assert.throws(() => decryptMessage(DOC.aesKey, Buffer.alloc(17).toString('base64')), WechatCryptoError);
    const enc = Buffer.from(encryptMessage(DOC.aesKey, DOC.appId, 'hello'), 'base64');
    enc[enc.length - 1] ^= 0xff; // corrupts the padding block
    assert.throws(() => decryptMessage(DOC.aesKey, enc.toString('base64')), WechatCryptoError);
    assert.throws(() => encryptMessage('short', DOC.appId, 'x'), WechatCryptoError);
  });
});

describe('cross-checked against independent implementations from npm', () => {
  const other = new WXBizMsgCrypt(DOC.token, DOC.aesKey, DOC.appId);

  it('wechat-crypto decrypts ours and we decrypt theirs; signatures agree', () => {
    const ours = encryptMessage(DOC.aesKey, DOC.appId, '<xml><Content><![CDATA[你好]]></Content></xml>');
    assert.deepEqual(other.decrypt(ours), { message: '<xml><Content><![CDATA[你好]]></Content></xml>', id: DOC.appId });
    const theirs = other.encrypt('<xml><MsgType><![CDATA[event]]></MsgType></xml>');
    assert.deepEqual(decryptMessage(DOC.aesKey, theirs), { message: '<xml><MsgType><![CDATA[event]]></MsgType></xml>', appId: DOC.appId });
    assert.equal(messageSignature(DOC.token, '1700000000', '42', theirs), other.getSignature('1700000000', '42', theirs));
    assert.deepEqual(other.decrypt(DOC.encrypt).id, DOC.appId);
  });

  it('wechat-api\'s getJsConfig signs the same way', async () => {
    const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
    const api = new WechatAPI('wx1', 'secret') as WechatAPI & { getJsConfig(p: { url: string; jsApiList: string[] }, cb: (err: Error | null, cfg: { timestamp: string; nonceStr: string; signature: string }) => void): void };
    api.registerTicketHandle((_type, cb) => cb(null, { ticket, expireTime: Date.now() + 3600_000 }), (_type, _t, cb) => cb(null));
    const url = 'https://shop.example.com/products/tea?ref=AB12';
    const cfg = await new Promise<{ timestamp: string; nonceStr: string; signature: string }>((resolve, reject) => api.getJsConfig({ url, jsApiList: [] }, (err, c) => (err ? reject(err) : resolve(c))));
    assert.equal(jsSdkSignature({ jsapi_ticket: ticket, noncestr: cfg.nonceStr, timestamp: cfg.timestamp, url }), cfg.signature);
  });
});

describe('XML', () => {
  it('parses WeChat messages into strings (64-bit MsgId intact) and builds CDATA replies', () => {
    const f = parseWechatXml('<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1348831860</CreateTime><MsgId>1234567890123456789</MsgId><Content><![CDATA[a <b> & c]]></Content></xml>');
    assert.equal(field(f, 'MsgId'), '1234567890123456789');
    assert.equal(field(f, 'Content'), 'a <b> & c');
    const xml = buildWechatXml({ Content: 'x ]]> y', CreateTime: 5 });
    assert.equal(field(parseWechatXml(xml), 'Content'), 'x ]]> y');
  });

  it('refuses DTDs, prototype-polluting names, other roots and broken XML', () => {
    assert.throws(() => parseWechatXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>'), WechatXmlError);
    assert.throws(() => parseWechatXml('<xml><__proto__><polluted>1</polluted></__proto__></xml>'), WechatXmlError);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.throws(() => parseWechatXml('<root><A>1</A></root>'), WechatXmlError);
    assert.throws(() => parseWechatXml('<xml><A>1</xml>'), WechatXmlError);
    assert.throws(() => parseWechatXml(''), WechatXmlError);
  });
});
