import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readEnvironments } from './readEnvironments';

const read = (environments: JsonValue) =>
  readEnvironments(new ConfigReader({ provisionhub: { environments } }));

describe('readEnvironments', () => {
  it('is empty when the portal configures none', () => {
    expect(readEnvironments(new ConfigReader({}))).toEqual([]);
  });

  it('keeps the configured order and fills in the defaults', () => {
    expect(
      read([
        { name: 'development', automatic: true },
        {
          name: 'staging',
          destination: { namespace: '${system}-stage' },
          argocd: { project: 'platform' },
        },
      ]).map(e => [
        e.name,
        e.destination.namespace,
        e.argocdProject,
        e.automatic,
      ]),
    ).toEqual([
      ['development', '${system}-${environment}', '${system}', true],
      ['staging', '${system}-stage', 'platform', false],
    ]);
  });

  it.each([
    [[{ name: 'Prod' }], /provisionhub.environments\[0\].name 'Prod': /],
    [
      [{ name: 'dev' }, { name: 'dev' }],
      /provisionhub.environments\[1\].name: 'dev' is listed twice/,
    ],
    [
      [{ name: 'dev', destination: { namespace: '${team}-dev' } }],
      /provisionhub.environments\[0\].destination.namespace: unknown placeholder \$\{team\}; use \$\{system\}, \$\{component\}, \$\{environment\}/,
    ],
    [
      [{ name: 'dev', destination: { namespace: '${system}_dev' } }],
      /'\$\{system\}_dev' does not make a Kubernetes namespace/,
    ],
    [
      [{ name: 'dev', argocd: { project: '${owner}' } }],
      /provisionhub.environments\[0\].argocd.project: unknown placeholder \$\{owner\}/,
    ],
    [
      [{ title: 'no name' }],
      /Missing required config value at 'provisionhub.environments\[0\].name'/,
    ],
  ])('refuses %j with a message naming the key', (environments, message) => {
    expect(() => read(environments)).toThrow(message);
  });
});
