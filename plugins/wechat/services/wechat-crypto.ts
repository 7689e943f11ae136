import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signatures and message encryption of the official-account server protocol, written from the
 * official documents ("消息加解密说明" / message push guide):
 *
 * - handshake and plain-mode pushes: signature = sha1(sort([token, timestamp, nonce]).join(''))
 * - safe mode (安全模式): msg_signature = sha1(sort([token, timestamp, nonce, Encrypt]).join(''))
 * - AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = first 16 bytes of the key
 * - plaintext = random(16 bytes) + msg_len (4 bytes, network order) + msg + appid, PKCS#7-padded to 32 bytes
 * - JS-SDK: signature = sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…"), keys sorted, values raw
 */

const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');

/** Constant-time comparison of two hex signatures (false for anything malformed). */
export function sameSignature(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length || !/^[0-9a-f]+$/i.test(a)) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase()), Buffer.from(b.toLowerCase()));
}

/** The GET handshake / plain push signature. */
export function serverSignature(token: string, timestamp: string, nonce: string): string {
  return sha1([token, timestamp, nonce].sort().join(''));
}

/** The safe-mode message signature over the ciphertext. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1([token, timestamp, nonce, encrypt].sort().join(''));
}

/** sha1 over the sorted key=value pairs (raw values, lower-case keys). */
export function jsSdkSignature(params: { jsapi_ticket: string; noncestr: string; timestamp: string | number; url: string }): string {
  const pairs = Object.entries(params).map(([k, v]) => [k, String(v)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha1(pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

/** EncodingAESKey: 43 characters of [a-zA-Z0-9]. */
export function isValidEncodingAesKey(key: string): boolean {
  return /^[a-zA-Z0-9]{43}$/.test(key);
}

export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!isValidEncodingAesKey(encodingAesKey)) throw new WechatCryptoError('EncodingAESKey must be 43 letters and digits');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('EncodingAESKey does not decode to 32 bytes');
  return key;
}

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

const BLOCK = 32;

function pad(buf: Buffer): Buffer {
  const n = BLOCK - (buf.length % BLOCK);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
}

function unpad(buf: Buffer): Buffer {
  const n = buf[buf.length - 1];
  if (!n || n > BLOCK || n > buf.length) throw new WechatCryptoError('bad padding');
  for (let i = buf.length - n; i < buf.length; i++) if (buf[i] !== n) throw new WechatCryptoError('bad padding');
  return buf.subarray(0, buf.length - n);
}

/**
 * Encrypts a message for the given appid; returns the base64 `Encrypt` value. `random16` exists for
 * the documents' worked example; leave it out in real use.
 */
export function encryptMessage(encodingAesKey: string, appId: string, message: string, random16?: Buffer): string {
  const key = aesKeyFrom(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const random = random16 ?? randomBytes(16);
  if (random.length !== 16) throw new WechatCryptoError('random prefix must be 16 bytes');
  const plain = pad(Buffer.concat([random, len, msg, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts `Encrypt`; returns the message and the appid it was encrypted for. Throws WechatCryptoError on any malformed input. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKeyFrom(encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new WechatCryptoError('Encrypt is not base64');
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('ciphertext length is not a multiple of the AES block');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  } catch (err) {
    throw err instanceof WechatCryptoError ? err : new WechatCryptoError('cannot decrypt');
  }
  if (plain.length < 20) throw new WechatCryptoError('decrypted message too short');
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new WechatCryptoError('message length out of range');
  return { message: plain.subarray(20, 20 + len).toString('utf8'), appId: plain.subarray(20 + len).toString('utf8') };
}

/** A random alphanumeric string (nonces, JS-SDK noncestr). */
export function randomNonce(length = 16): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}
