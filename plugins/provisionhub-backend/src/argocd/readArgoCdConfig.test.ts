import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readArgoCdConfig } from './readArgoCdConfig';

const read = (argocd: JsonValue) =>
  readArgoCdConfig(new ConfigReader({ provisionhub: { argocd } }));

describe('readArgoCdConfig', () => {
  it('is undefined when the portal does not configure Argo CD', () => {
    expect(readArgoCdConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads the address, token and timeout, with a default timeout of 3 seconds', () => {
    expect(
      read({ baseUrl: 'https://argocd.example.com/', token: ' secret ' }),
    ).toEqual({
      baseUrl: 'https://argocd.example.com',
      token: 'secret',
      timeoutMs: 3000,
    });
    expect(
      read({
        baseUrl: 'https://tools.example.com/argocd',
        token: 'secret',
        timeoutMs: 500,
      }),
    ).toEqual({
      baseUrl: 'https://tools.example.com/argocd',
      token: 'secret',
      timeoutMs: 500,
    });
  });

  it.each([
    [
      { token: 'secret' },
      /Missing required config value at 'provisionhub.argocd.baseUrl'/,
    ],
    [
      { baseUrl: 'argocd.example.com', token: 'secret' },
      /provisionhub.argocd.baseUrl 'argocd.example.com' is not a URL/,
    ],
    [
      { baseUrl: 'ftp://argocd.example.com', token: 'secret' },
      /must be an http or https URL/,
    ],
    [
      { baseUrl: 'https://admin:pw@argocd.example.com', token: 'secret' },
      /provisionhub.argocd.baseUrl must be a plain address without credentials/,
    ],
    [
      { baseUrl: 'https://argocd.example.com' },
      /Missing required config value at 'provisionhub.argocd.token'/,
    ],
    [
      { baseUrl: 'https://argocd.example.com', token: '  ' },
      /provisionhub.argocd.token is empty/,
    ],
    [
      { baseUrl: 'https://argocd.example.com', token: 'secret', timeoutMs: 0 },
      /provisionhub.argocd.timeoutMs must be a whole number of milliseconds above 0, got 0/,
    ],
  ])('refuses %j with a message naming the key', (argocd, message) => {
    expect(() => read(argocd)).toThrow(message);
  });

  it('never puts the token in an error', () => {
    const refuse = () =>
      read({ baseUrl: 'not a url', token: 'secret-0123456789' });
    expect(refuse).toThrow(/is not a URL/);
    expect(refuse).not.toThrow(/secret-0123456789/);
  });
});
