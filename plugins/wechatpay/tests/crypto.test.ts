import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { WechatpayApi } from '../services/api.js';
import { SecretBox } from '../services/secret-box.js';
import { parseAuthorization, WechatpayEmulator } from '../emulator/wechatpay-emulator.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const apiV3Key = randomBytes(16).toString('hex');

function api(): WechatpayApi {
  return new WechatpayApi({ appid: 'wx0123456789abcdef', mchid: '1900009191', serial: 'ABC123', apiBase: 'http://127.0.0.1:1', verifyMode: 'public_key', platformSerial: 'PUB_KEY_ID_0114000000', apiV3Key, privateKey: merchant.privateKey, platformKey: platform.publicKey, transferSceneId: '1005', transferPerception: '劳务报酬' });
}

describe('signing and decryption, checked independently with node:crypto', () => {
  it('request signature: the library signs "METHOD\\nURL\\ntimestamp\\nnonce\\nbody\\n"; node:crypto verifies it', () => {
    const body = JSON.stringify({ mchid: '1900009191' });
    const message = Formatter.request('POST', '/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', body);
    assert.equal(message, `POST\n/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n${body}\n`, 'the documented message layout');
    const signature = Rsa.sign(message, Rsa.from(merchant.privateKey, Rsa.KEY_TYPE_PRIVATE));
    assert.ok(createVerify('RSA-SHA256').update(message).verify(createPublicKey(merchant.publicKey), signature, 'base64'));
    const auth = Formatter.authorization('1900009191', '593BEC0C930BF1AFEB40B4A08C8FB242', signature, '1554208460', 'ABC123');
    assert.deepEqual(parseAuthorization(auth), { mchid: '1900009191', nonce_str: '593BEC0C930BF1AFEB40B4A08C8FB242', signature, timestamp: '1554208460', serial_no: 'ABC123' });
    // a GET without body signs an empty body line
    assert.equal(Formatter.request('GET', '/v3/certificates', '1554208460', 'N', ''), 'GET\n/v3/certificates\n1554208460\nN\n\n');
  });

  it('notification: signed and encrypted with node:crypto (the emulator), verified and decrypted by the plugin', () => {
    const nonce = randomBytes(6).toString('hex');
    const resource = { appid: 'wx0123456789abcdef', out_trade_no: 'P1', amount: { total: 100 } };
    const ciphertext = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce)).setAAD(Buffer.from('transaction'));
    const ct = Buffer.concat([ciphertext.update(JSON.stringify(resource)), ciphertext.final(), ciphertext.getAuthTag()]).toString('base64');
    assert.equal(ct, WechatpayEmulator.encryptResource(JSON.stringify(resource), apiV3Key, nonce, 'transaction'), 'same AEAD as the emulator');
    assert.equal(Aes.AesGcm.decrypt(ct, Buffer.from(apiV3Key), nonce, 'transaction'), JSON.stringify(resource), 'the library decrypts what node:crypto encrypted');
    const body = JSON.stringify({ id: 'EV-1', event_type: 'TRANSACTION.SUCCESS', resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct, associated_data: 'transaction', nonce, original_type: 'transaction' } });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(platform.privateKey, 'base64');
    const headers = { 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-signature': sig, 'wechatpay-serial': 'PUB_KEY_ID_0114000000' };
    const v = api().verifyNotification(headers, body);
    assert.deepEqual(v.resource, resource);
    assert.throws(() => api().verifyNotification({ ...headers, 'wechatpay-serial': 'OTHER' }, body), /Wechatpay-Serial/);
    assert.throws(() => api().verifyNotification(headers, body.replace('EV-1', 'EV-2')), /signature/);
    assert.throws(() => api().verifyNotification(headers, body, Date.now() + 301_000), /5 minutes/);
    // wrong associated data does not decrypt
    assert.throws(() => Aes.AesGcm.decrypt(ct, Buffer.from(apiV3Key), nonce, 'refund'));
  });

  it('JSAPI paySign over "appId\\ntimeStamp\\nnonceStr\\npackage\\n" verifies with node:crypto', () => {
    const p = api().jsapiParams('wx201410272009395522657a690389285100', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS');
    assert.equal(p.package, 'prepay_id=wx201410272009395522657a690389285100');
    assert.ok(createVerify('RSA-SHA256').update(`wx0123456789abcdef\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n`).verify(createPublicKey(merchant.publicKey), p.paySign, 'base64'));
  });

  it('secrets at rest: AES-256-GCM bound to the name, keyed by SESSION_SECRET', () => {
    const box = new SecretBox('s'.repeat(40));
    const sealed = box.seal('apiV3Key', apiV3Key);
    assert.ok(!sealed.includes(apiV3Key));
    assert.equal(box.open('apiV3Key', sealed), apiV3Key);
    assert.throws(() => box.open('privateKey', sealed), 'moved to another name: refused');
    assert.throws(() => new SecretBox('t'.repeat(40)).open('apiV3Key', sealed), 'another SESSION_SECRET: refused');
  });
});
