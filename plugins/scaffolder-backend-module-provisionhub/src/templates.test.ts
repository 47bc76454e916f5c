import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  BlueprintEntityV1alpha1,
  LABEL_BLUEPRINT,
  isBlueprintEntity,
  validateBlueprintValues,
} from '@provisionhub/plugin-provisionhub-common';
import {
  shippedCatalogEntities,
  shippedTemplates,
} from '@provisionhub/test-utils';

interface ValuesForm {
  properties: Record<string, { default?: unknown }>;
}

/** The form data the scaffolder's form starts from: every default filled in. */
function formDefaults(form: ValuesForm): JsonObject {
  return Object.fromEntries(
    Object.entries(form.properties)
      .filter(([, field]) => field.default !== undefined)
      .map(([key, field]) => [key, field.default]),
  ) as JsonObject;
}

/** Every blueprint the template offers, with the form of its values. */
function offeredBlueprints(
  template: Entity,
): Array<{ blueprint: string; form: ValuesForm }> {
  const pages = template.spec!.parameters as any[];
  const page = pages.find(p => p.properties?.blueprint);
  const branches: any[] | undefined = page.dependencies?.blueprint?.oneOf;
  if (branches) {
    return branches.map(branch => ({
      blueprint: branch.properties.blueprint.enum[0],
      form: branch.properties.values,
    }));
  }
  return page.properties.blueprint.enum.map((blueprint: string) => ({
    blueprint,
    form: page.properties.values,
  }));
}

describe('the shipped templates', () => {
  const templates = shippedTemplates();
  const blueprints = shippedCatalogEntities().filter(isBlueprintEntity);
  const versionsOf = (name: string): BlueprintEntityV1alpha1[] =>
    blueprints.filter(b => b.metadata.labels?.[LABEL_BLUEPRINT] === name);

  it('are the two ProvisionHub templates, owned by the platform team', () => {
    expect(
      templates.map(t => [t.kind, t.metadata.name, t.spec?.owner]),
    ).toEqual([
      ['Template', 'provisionhub-create-system', 'group:default/platform-team'],
      [
        'Template',
        'provisionhub-create-component',
        'group:default/platform-team',
      ],
    ]);
  });

  it.each([
    [
      'provisionhub-create-system',
      (b: BlueprintEntityV1alpha1) => b.spec.type === 'system',
    ],
    [
      'provisionhub-create-component',
      (b: BlueprintEntityV1alpha1) => b.spec.type !== 'system',
    ],
  ])('%s offers every blueprint of its kind in the catalog', (name, fits) => {
    const template = templates.find(t => t.metadata.name === name)!;
    const offered = offeredBlueprints(template)
      .map(o => o.blueprint)
      .sort();
    const inCatalog = [
      ...new Set(
        blueprints.filter(fits).map(b => b.metadata.labels![LABEL_BLUEPRINT]),
      ),
    ].sort();
    expect(offered).toEqual(inCatalog);
  });

  describe.each(templates.map(t => [t.metadata.name, t] as const))(
    '%s',
    (_, template) => {
      it.each(
        offeredBlueprints(template).map(o => [o.blueprint, o.form] as const),
      )(
        'asks only for values every version of %s accepts, and its defaults pass them all',
        (blueprint, form) => {
          const versions = versionsOf(blueprint);
          expect(versions.length).toBeGreaterThan(0);
          for (const version of versions) {
            const declared = Object.keys(
              (version.spec.parameters.properties as JsonObject) ?? {},
            );
            const unknown = Object.keys(form.properties).filter(
              field => !declared.includes(field),
            );
            expect({ version: version.spec.version, unknown }).toEqual({
              version: version.spec.version,
              unknown: [],
            });
            const checked = validateBlueprintValues(
              version.spec.parameters,
              formDefaults(form),
            );
            expect({ version: version.spec.version, checked }).toMatchObject({
              version: version.spec.version,
              checked: { ok: true },
            });
          }
        },
      );

      it('passes every template input on to its action and links the repository, run and entity', () => {
        const [step] = template.spec!.steps as any[];
        expect(step.action).toMatch(/^provisionhub:(system|component):create$/);
        expect(step.input).toMatchObject({
          name: '${{ parameters.name }}',
          owner: '${{ parameters.owner }}',
          blueprint: '${{ parameters.blueprint }}',
          version: '${{ parameters.version }}',
          values: '${{ parameters.values }}',
          wait: true,
        });
        expect((template.spec!.output as any).links).toEqual([
          expect.objectContaining({
            url: "${{ steps['create'].output.repoUrl }}",
          }),
          expect.objectContaining({
            url: "${{ steps['create'].output.runUrl }}",
          }),
          expect.objectContaining({
            entityRef: "${{ steps['create'].output.entityRef }}",
          }),
        ]);
      });
    },
  );
});
