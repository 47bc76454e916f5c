import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateSigningKey } from './signingKeys';

describe('loadOrCreateSigningKey', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-idp-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates an RS256 key readable only by its owner, then keeps using it', () => {
    const file = path.join(dir, 'nested/signing-key.json');
    const created = loadOrCreateSigningKey(file);
    expect(created).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = crypto.createPrivateKey({ key: created, format: 'jwk' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(loadOrCreateSigningKey(file)).toEqual(created);
  });

  it('refuses a file that holds no key and says how to recover', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"kty":"RSA"}');
    expect(() => loadOrCreateSigningKey(file)).toThrow(
      `${file} holds no usable signing key`,
    );
    expect(() => loadOrCreateSigningKey(file)).toThrow(
      'delete it and a new key is created',
    );
  });
});
