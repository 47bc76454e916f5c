import { CliError } from './errors';
import { applySetArguments, parseBlueprintRef, readValuesFile } from './values';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const schema = {
  type: 'object',
  properties: {
    port: { type: 'integer' },
    ratio: { type: 'number' },
    nodeVersion: { type: 'string', enum: ['20', '22'] },
    public: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    ports: { type: 'array', items: { type: 'integer' } },
    labels: { type: 'object' },
    resources: {
      type: 'object',
      properties: {
        cpu: { type: 'string' },
        replicas: { type: ['integer', 'null'] },
      },
    },
    level: { enum: [1, 2, 3] },
  },
};

function set(...args: string[]) {
  return applySetArguments({}, args, schema, 'node-backend@1.1.0');
}

describe('applySetArguments', () => {
  it("types each value by the blueprint's schema", () => {
    expect(
      set(
        'port=8080',
        'ratio=0.5',
        'nodeVersion=22',
        'public=true',
        'tags=a, b',
        'ports=[80,443]',
        'labels={"team":"payments"}',
        'resources.cpu=100m',
        'resources.replicas=3',
        'level=2',
        'unknown=42',
      ),
    ).toEqual({
      port: 8080,
      ratio: 0.5,
      nodeVersion: '22',
      public: true,
      tags: ['a', 'b'],
      ports: [80, 443],
      labels: { team: 'payments' },
      resources: { cpu: '100m', replicas: 3 },
      level: 2,
      // Not in the schema: sent as text; the control plane names the field in its answer.
      unknown: '42',
    });
  });

  it('keeps what a values file gave and lets --set win, without changing the file values', () => {
    const fromFile = { port: 8080, resources: { cpu: '50m', memory: '64Mi' } };
    expect(
      applySetArguments(
        fromFile,
        ['resources.cpu=100m', 'port=9090'],
        schema,
        'x',
      ),
    ).toEqual({ port: 9090, resources: { cpu: '100m', memory: '64Mi' } });
    expect(fromFile.resources.cpu).toBe('50m');
  });

  it('sends text when there is no schema', () => {
    expect(
      applySetArguments({}, ['port=8080', 'empty='], undefined, 'x'),
    ).toEqual({
      port: '8080',
      empty: '',
    });
  });

  it.each([
    ['port', '--set port: expected key=value, e.g. --set port=8080'],
    ['=8080', '--set =8080: expected key=value, e.g. --set port=8080'],
    [
      'resources..cpu=1',
      "--set resources..cpu=1: 'resources..cpu' is not a parameter name; nested names are joined by single dots, e.g. resources.cpu",
    ],
    [
      'port=eighty',
      '--set port=eighty: node-backend@1.1.0 expects a whole number there',
    ],
    ['port=', '--set port=: node-backend@1.1.0 expects a whole number there'],
    [
      'public=yes',
      '--set public=yes: node-backend@1.1.0 expects true or false there',
    ],
    [
      'ports=[80,',
      '--set ports=[80,: node-backend@1.1.0 expects a JSON array, or items separated by commas (each a whole number) there',
    ],
    [
      'ports=80,x',
      '--set ports=80,x: node-backend@1.1.0 expects a JSON array, or items separated by commas (each a whole number) there',
    ],
    [
      'labels=team',
      '--set labels=team: node-backend@1.1.0 expects a JSON object, e.g. {"cpu":"100m"} there',
    ],
  ])(
    'refuses %s with a message that says how to fix it',
    (argument, message) => {
      let error: unknown;
      try {
        set(argument);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect(error).toMatchObject({ message, exitCode: 2 });
    },
  );
});

describe('readValuesFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provisionhub-values-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads YAML and JSON mappings, and standard input for -', async () => {
    await fs.writeFile(
      path.join(dir, 'v.yaml'),
      'port: 8080\nresources:\n  cpu: 100m\n',
    );
    expect(await readValuesFile(path.join(dir, 'v.yaml'))).toEqual({
      port: 8080,
      resources: { cpu: '100m' },
    });
    expect(await readValuesFile('-', async () => '{"port": 9090}')).toEqual({
      port: 9090,
    });
    expect(await readValuesFile('-', async () => '')).toEqual({});
  });

  it('says what is wrong with a file it cannot use', async () => {
    await fs.writeFile(path.join(dir, 'list.yaml'), '- 1\n- 2\n');
    await fs.writeFile(path.join(dir, 'bad.yaml'), 'port: [1\n');
    await expect(readValuesFile(path.join(dir, 'list.yaml'))).rejects.toThrow(
      `the values file ${path.join(
        dir,
        'list.yaml',
      )} must hold a mapping of parameter names to values, e.g. "port: 8080"`,
    );
    await expect(readValuesFile(path.join(dir, 'bad.yaml'))).rejects.toThrow(
      /is not valid YAML or JSON/,
    );
    await expect(
      readValuesFile(path.join(dir, 'missing.yaml')),
    ).rejects.toThrow(/^cannot read the values file .*missing\.yaml: ENOENT/);
  });
});

describe('parseBlueprintRef', () => {
  it('splits name@version; a name alone means the latest version', () => {
    expect(parseBlueprintRef('node-backend')).toEqual({ name: 'node-backend' });
    expect(parseBlueprintRef('node-backend@1.1.0')).toEqual({
      name: 'node-backend',
      version: '1.1.0',
    });
    expect(() => parseBlueprintRef('node-backend@')).toThrow(
      "'node-backend@' is not a blueprint: give a name, or name@version such as node-backend@1.1.0",
    );
  });
});
