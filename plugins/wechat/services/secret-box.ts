import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for the account's secrets (AppSecret, Token, EncodingAESKey) and the cached
 * access_token / jsapi_ticket: AES-256-GCM under a key derived (HKDF-SHA256) from SESSION_SECRET, so
 * every instance sharing SESSION_SECRET can read them and a copy of the database alone cannot.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(sessionSecret: string, purpose = 'wechat-config-v1') {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(sessionSecret, 'utf8'), Buffer.from('wechat-mall'), Buffer.from(purpose), 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  /** The plain text, or null when the value was sealed under another SESSION_SECRET (or is corrupt). */
  open(sealed: string): string | null {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== 'v1') return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[1], 'base64url'));
      decipher.setAuthTag(Buffer.from(parts[2], 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
