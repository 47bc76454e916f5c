import { ConfigReader } from '@backstage/config';
import { BlueprintTrust } from './BlueprintTrust';

const trust = BlueprintTrust.fromConfig(
  new ConfigReader({
    provisionhub: {
      blueprints: {
        trusted: [
          { location: 'file:../../catalog' },
          {
            location:
              'url:https://gitlab.example.com/platform/blueprints/-/blob/main/',
            owners: ['group:default/platform-team'],
          },
        ],
        sharedFolders: ['file:../../templates/helm'],
      },
    },
  }),
  '/repo/packages/backend',
);

describe('BlueprintTrust', () => {
  it('trusts entities inside a trusted location, by whole path segments', () => {
    expect(
      trust.check('file:/repo/catalog/modules/x/blueprint.yaml', 'group:a'),
    ).toEqual({ trusted: true });
    expect(
      trust.check('file:/repo/catalog-evil/x/blueprint.yaml', 'group:a'),
    ).toEqual({
      trusted: false,
      reason:
        'not from a trusted source: its catalog location file:/repo/catalog-evil/x/blueprint.yaml is not inside any location of provisionhub.blueprints.trusted',
    });
  });

  it('limits a location to its owners when the rule names them', () => {
    const location =
      'url:https://gitlab.example.com/platform/blueprints/-/blob/main/api/blueprint.yaml';
    expect(trust.check(location, 'group:default/platform-team')).toEqual({
      trusted: true,
    });
    expect(trust.check(location, 'group:default/intruders')).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(
        /^not from a trusted source: its owner group:default\/intruders is not one of the owners trusted for url:https/,
      ),
    });
  });

  it('trusts nothing without configuration, and resolves shared folders', () => {
    const none = BlueprintTrust.fromConfig(new ConfigReader({}));
    expect(none.check('file:/anywhere/blueprint.yaml', 'group:a').trusted).toBe(
      false,
    );
    expect(trust.sharedFolders).toEqual(['file:/repo/templates/helm']);
    expect(() =>
      BlueprintTrust.fromConfig(
        new ConfigReader({
          provisionhub: { blueprints: { trusted: [{ location: 'github:x' }] } },
        }),
      ),
    ).toThrow(
      "provisionhub.blueprints.trusted[0].location must be a file:<path> or url:<https://…> location, got 'github:x'",
    );
  });
});
