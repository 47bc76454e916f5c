import { BlueprintEntityV1alpha1 } from './entity';
import { validateBlueprintEntity } from './validateBlueprintEntity';
import { validateBlueprintValues } from './validateBlueprintValues';

function blueprint(
  spec: Partial<BlueprintEntityV1alpha1['spec']> = {},
  label = 'node-backend',
) {
  return {
    apiVersion: 'provisionhub.io/v1alpha1',
    kind: 'Blueprint',
    metadata: {
      name: 'node-backend-v1.0.0',
      labels: { 'provisionhub.io/blueprint': label },
    },
    spec: {
      type: 'backend',
      version: '1.0.0',
      owner: 'group:default/platform-team',
      parameters: {
        type: 'object',
        properties: {
          port: {
            type: 'integer',
            minimum: 1024,
            maximum: 65535,
            default: 8080,
          },
          replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
        },
      },
      files: './skeleton',
      ...spec,
    },
  } as BlueprintEntityV1alpha1;
}

describe('validateBlueprintEntity', () => {
  it('accepts a complete blueprint', () => {
    expect(validateBlueprintEntity(blueprint())).toEqual([]);
    expect(
      validateBlueprintEntity(
        blueprint({
          files: [
            { from: './skeleton' },
            { from: '../../../templates/helm', to: 'deploy' },
          ],
          steps: [{ id: 'gitops', type: 'gitops' }],
        }),
      ),
    ).toEqual([]);
  });

  it('names each failing field', () => {
    expect(validateBlueprintEntity(blueprint({ version: 'one' }))).toEqual([
      {
        field: '/spec/version',
        message: "must be a semantic version such as 1.2.0, got 'one'",
      },
    ]);
    expect(validateBlueprintEntity(blueprint({ files: '/etc' }))).toEqual([
      {
        field: '/spec/files',
        message:
          'must be a path relative to the blueprint file (no leading / and no URL scheme)',
      },
    ]);
    const { spec } = blueprint();
    const missing = blueprint();
    delete (missing.spec as Partial<typeof spec>).owner;
    expect(validateBlueprintEntity(missing)).toEqual([
      { field: '/spec/owner', message: 'is required' },
    ]);
    expect(
      validateBlueprintEntity(blueprint({}, 'Node Backend'))[0],
    ).toMatchObject({
      field: '/metadata/labels/provisionhub.io/blueprint',
    });
  });

  it('refuses parameters that redeclare run fields and duplicate step ids', () => {
    const errors = validateBlueprintEntity(
      blueprint({
        parameters: {
          type: 'object',
          properties: { name: { type: 'string' } },
        },
        steps: [
          { id: 'gitops', type: 'gitops' },
          { id: 'gitops', type: 'gitops' },
        ],
      }),
    );
    expect(errors).toEqual([
      {
        field: '/spec/parameters/properties/name',
        message:
          "'name' is supplied by every run; remove it from the parameters",
      },
      { field: '/spec/steps/1/id', message: "'gitops' is used twice" },
    ]);
  });

  it('checks the shape of spec.steps only: a type and an input object, whatever the type', () => {
    expect(
      validateBlueprintEntity(
        blueprint({
          steps: [{ id: 'x', type: 'acme:unknown', input: { any: 'thing' } }],
        }),
      ),
    ).toEqual([]);
    const errors = validateBlueprintEntity(
      blueprint({ steps: [{ id: 'x', input: 'text' } as any] }),
    );
    expect(errors.map(e => e.field)).toEqual(
      expect.arrayContaining(['/spec/steps/0/type', '/spec/steps/0/input']),
    );
  });
});

describe('validateBlueprintValues', () => {
  const { parameters } = blueprint().spec;

  it('fills in defaults without touching the input', () => {
    const input = { replicas: 3 };
    expect(validateBlueprintValues(parameters, input)).toEqual({
      ok: true,
      values: { port: 8080, replicas: 3 },
    });
    expect(input).toEqual({ replicas: 3 });
  });

  it('names the field and the rule', () => {
    expect(
      validateBlueprintValues(parameters, { port: 80, replicas: 'two' }),
    ).toEqual({
      ok: false,
      errors: [
        { field: '/values/port', message: 'must be >= 1024' },
        { field: '/values/replicas', message: 'must be integer' },
      ],
    });
    expect(validateBlueprintValues(parameters, [])).toEqual({
      ok: false,
      errors: [{ field: '/values', message: 'must be an object' }],
    });
  });
});

describe('validateBlueprintEntity file sources', () => {
  it('checks every entry of a list of sources', () => {
    expect(
      validateBlueprintEntity(
        blueprint({
          files: [{ from: './skeleton' }, { from: 'https://evil.example/x' }],
        }),
      ),
    ).toEqual([
      {
        field: '/spec/files/1/from',
        message:
          'must be a path relative to the blueprint file (no leading / and no URL scheme)',
      },
    ]);
    expect(validateBlueprintEntity(blueprint({ files: [] }))).toEqual([
      { field: '/spec/files', message: 'must NOT have fewer than 1 items' },
    ]);
  });
});
