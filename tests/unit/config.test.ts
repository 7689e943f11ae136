import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../core/config/app-config.js';

describe('configuration from the environment', () => {
  it('defaults to SQLite at ./data/mall.sqlite', () => {
    const c = loadConfig({});
    assert.deepEqual(c.database, { kind: 'sqlite', url: './data/mall.sqlite' });
    assert.equal(c.port, 3000);
    assert.equal(c.publicUrl, 'http://localhost:3000');
  });

  it('reads a mysql URL', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/mall' }).database.kind, 'mysql');
  });

  it('reports every bad value at once, naming each variable', () => {
    try {
      loadConfig({ PORT: 'abc', PUBLIC_URL: 'not a url', DATABASE_URL: 'postgres://x/y', ORDER_PAYMENT_TIMEOUT_MINUTES: '0', SANDBOX: 'maybe' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      for (const name of ['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'ORDER_PAYMENT_TIMEOUT_MINUTES', 'SANDBOX']) assert.match(err.message, new RegExp(name));
    }
  });

  it('ADMIN_EMAIL and ADMIN_PASSWORD go together', () => {
    assert.throws(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' }), /set together/);
  });
});
