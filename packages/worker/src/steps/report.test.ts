import { PermanentError } from '../errors';
import { readCatalogEntity } from './report';

describe('readCatalogEntity', () => {
  const component =
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\nspec:\n  type: service\n';

  it('returns the entity the run creates, also from a file with several documents', () => {
    const api =
      'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: payments-api\n';
    expect(
      readCatalogEntity(
        component,
        'catalog-info.yaml',
        'component:default/payments-api',
      ),
    ).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-api' },
      spec: { type: 'service' },
    });
    expect(
      readCatalogEntity(
        `${api}---\n${component}`,
        'catalog-info.yaml',
        'component:payments-api',
      ),
    ).toMatchObject({ kind: 'Component' });
  });

  it.each([
    ['kind: [unclosed', 'catalog-info.yaml is not valid YAML'],
    [
      '- a\n- b\n',
      'catalog-info.yaml is not a catalog entity: a document is not a mapping',
    ],
    ['kind: Component\nmetadata: { name: x }\n', 'apiVersion is missing'],
    [
      'apiVersion: v1\nkind: Component\nmetadata:\n  name: other\n',
      'catalog-info.yaml describes component:default/other, but the run creates component:default/payments-api',
    ],
    ['', 'describes no entity'],
  ])('names the file and the problem: %j', (text, message) => {
    expect(() =>
      readCatalogEntity(
        text,
        'catalog-info.yaml',
        'component:default/payments-api',
      ),
    ).toThrow(PermanentError);
    expect(() =>
      readCatalogEntity(
        text,
        'catalog-info.yaml',
        'component:default/payments-api',
      ),
    ).toThrow(message);
  });
});
