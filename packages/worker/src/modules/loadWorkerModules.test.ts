import fs from 'node:fs/promises';
import path from 'node:path';
import { createTempDir } from '@provisionhub/test-utils';
import { ConfigError } from '../config/ConfigError';
import { loadWorkerModules } from './loadWorkerModules';

/** Installs a package with this index.js into `<dir>/node_modules`. */
async function install(dir: string, name: string, index: string) {
  const folder = path.join(dir, 'node_modules', name);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(
    path.join(folder, 'package.json'),
    JSON.stringify({ name, main: 'index.js' }),
  );
  await fs.writeFile(path.join(folder, 'index.js'), index);
}

const MODULE = `{ $$type: '@provisionhub/WorkerModule', id: 'acme', register() {} }`;

describe('loadWorkerModules', () => {
  let temp: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    temp = await createTempDir('provisionhub-modules-');
    await install(temp.dir, '@acme/default', `exports.default = ${MODULE};`);
    await install(temp.dir, 'acme-plain', `module.exports = ${MODULE};`);
    await install(
      temp.dir,
      '@acme/throws',
      `throw new Error('bad top level\\nstack');`,
    );
    await install(
      temp.dir,
      '@acme/shapeless',
      `exports.default = { id: 'x' };`,
    );
    await install(
      temp.dir,
      '@acme/noregister',
      `exports.default = { $$type: '@provisionhub/WorkerModule', id: 'x' };`,
    );
  });
  afterAll(() => temp.remove());

  it('loads the default export, or the module itself, by package name', () => {
    const loaded = loadWorkerModules(['@acme/default', 'acme-plain'], {
      paths: [temp.dir],
    });
    expect(loaded.map(m => [m.source, m.module.id])).toEqual([
      ['@acme/default', 'acme'],
      ['acme-plain', 'acme'],
    ]);
  });

  it('loads a module package of this repository from the worker installation', () => {
    const [loaded] = loadWorkerModules(['@provisionhub/worker-module-http']);
    expect(loaded.module.id).toBe('http');
  });

  it.each([
    [
      '@acme/missing',
      "provisionhub.worker.modules[0] '@acme/missing' is not installed where the worker runs",
    ],
    [
      '@acme/throws',
      "provisionhub.worker.modules[0] '@acme/throws' cannot be loaded: bad top level",
    ],
    [
      '@acme/shapeless',
      "provisionhub.worker.modules[0] '@acme/shapeless' does not export a worker module as default (export default createWorkerModule({ id, register })): it was not made with createWorkerModule",
    ],
    ['@acme/noregister', 'it has no register function'],
  ])('names the package that cannot be used: %s', (name, message) => {
    const load = () => loadWorkerModules([name], { paths: [temp.dir] });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
