import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A private signing key as a JSON Web Key.
 * @public
 */
export type PrivateJwk = crypto.JsonWebKey & {
  kid: string;
  alg: 'RS256';
  use: 'sig';
};

function generate(): PrivateJwk {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = crypto
    .createHash('sha256')
    .update(`${jwk.n}.${jwk.e}`)
    .digest('base64url')
    .slice(0, 16);
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

/**
 * The provider's signing key, kept in `file` so tokens and sessions stay valid across restarts
 * (and tests can sign tokens with it, e.g. an expired one); created on first use.
 * @public
 */
export function loadOrCreateSigningKey(file: string): PrivateJwk {
  if (fs.existsSync(file)) {
    try {
      const jwk = JSON.parse(fs.readFileSync(file, 'utf8'));
      crypto.createPrivateKey({ key: jwk, format: 'jwk' });
      if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') {
        throw new Error('not an RSA key with a kid');
      }
      return { ...jwk, alg: 'RS256', use: 'sig' };
    } catch (error) {
      throw new Error(
        `${file} holds no usable signing key (${
          (error as Error).message
        }); delete it and a new key is created`,
      );
    }
  }
  const jwk = generate();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  return jwk;
}
