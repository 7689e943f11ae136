import { createHmac, timingSafeEqual } from 'node:crypto';

/** `value.issuedAt.signature`, HMAC-SHA256 over value and issue time. Stateless, so every instance can verify it. */
export function signValue(secret: string, purpose: string, value: string, now = Date.now()): string {
  const issued = Math.floor(now / 1000).toString(36);
  return `${value}.${issued}.${mac(secret, purpose, `${value}.${issued}`)}`;
}

export function verifySignedValue(secret: string, purpose: string, token: string | undefined, maxAgeSeconds: number, now = Date.now()): string | null {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [value, issued, sig] = parts;
  const expected = mac(secret, purpose, `${value}.${issued}`);
  const a = Buffer.from(sig);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  const age = now / 1000 - parseInt(issued, 36);
  if (!(age >= -60 && age <= maxAgeSeconds)) return null;
  return value;
}

function mac(secret: string, purpose: string, data: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${data}`).digest('base64url');
}
