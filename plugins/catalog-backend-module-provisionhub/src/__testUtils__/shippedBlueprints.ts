import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ANNOTATION_BLUEPRINT,
  BlueprintEntityV1alpha1,
  repositoryPathFor,
  validateBlueprintValues,
} from '@provisionhub/plugin-provisionhub-common';
import {
  createRenderContext,
  readBlueprintFiles,
  renderBlueprint,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import type { JsonObject } from '@backstage/types';
import { parse as parseYaml } from 'yaml';

const execFileAsync = promisify(execFile);

/** The repository this package lives in: its catalog/, starter set and node_modules/ are used as they are. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '../../../..');
/** The dev portal's demo organisation. */
export const CATALOG_ROOT = path.join(REPOSITORY_ROOT, 'catalog');
/** The starter set (`@provisionhub/starter`): blueprints/, partials/, templates/ and all.yaml. */
export const STARTER_ROOT = path.join(REPOSITORY_ROOT, 'packages/starter');
/** The starter set's blueprints: `<name>/blueprint.yaml` or `<name>/v<version>/blueprint.yaml`. */
export const BLUEPRINTS_ROOT = path.join(STARTER_ROOT, 'blueprints');

/** The namespace pattern of an environment without `destination.namespace`. */
const DEFAULT_NAMESPACE_PATTERN = '${system}-${environment}';

/**
 * The dev portal's environments (`provisionhub.environments` in app-config.yaml), in order, with
 * their namespace patterns as the control plane reads them (`$${` is app-config's literal `${`).
 */
export async function devPortalEnvironments(): Promise<
  Array<{ name: string; namespace: string }>
> {
  const config = parseYaml(
    await fs.readFile(path.join(REPOSITORY_ROOT, 'app-config.yaml'), 'utf8'),
  ) as {
    provisionhub?: {
      environments?: Array<{
        name: string;
        destination?: { namespace?: string };
      }>;
    };
  };
  const environments = config.provisionhub?.environments ?? [];
  if (environments.length === 0) {
    throw new Error('app-config.yaml has no provisionhub.environments');
  }
  return environments.map(e => ({
    name: e.name,
    namespace: (e.destination?.namespace ?? DEFAULT_NAMESPACE_PATTERN).replace(
      /\$\$\{/g,
      '${',
    ),
  }));
}

/** Every `blueprint.yaml` under `folder` (the starter set's blueprints/ by default), sorted. */
export async function findShippedBlueprints(
  folder = BLUEPRINTS_ROOT,
): Promise<string[]> {
  const entries = await fs.readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(e => e.isFile() && e.name === 'blueprint.yaml')
    .map(e => path.join(e.parentPath, e.name))
    .sort();
}

export async function readBlueprintEntity(
  file: string,
): Promise<BlueprintEntityV1alpha1> {
  return parseYaml(await fs.readFile(file, 'utf8')) as BlueprintEntityV1alpha1;
}

/** The run every shipped blueprint is rendered for: a system or a component of it. */
export function exampleRun(entity: BlueprintEntityV1alpha1) {
  const kind =
    entity.spec.type === 'system'
      ? ('system' as const)
      : ('component' as const);
  const name = kind === 'system' ? 'payments' : 'checkout-api';
  return {
    kind,
    name,
    owner: 'group:default/payments-team',
    system: 'payments',
    entityRef: `${kind}:default/${name}`,
  };
}

/**
 * Renders a shipped blueprint the way a worker does (files read from its catalog location, the
 * values checked and completed with the defaults; `{}` unless given) into `into`, keeping
 * executable bits.
 */
export async function renderShippedBlueprint(
  file: string,
  into: string,
  values: JsonObject = {},
) {
  const entity = await readBlueprintEntity(file);
  const checked = validateBlueprintValues(entity.spec.parameters, values);
  if (!checked.ok) {
    throw new Error(
      `values ${JSON.stringify(values)} are not valid: ${JSON.stringify(
        checked.errors,
      )}`,
    );
  }
  const files = await readBlueprintFiles(
    resolveFileSources(`file:${file}`, entity.spec.files),
  );
  const context = exampleRenderContext(entity, checked.values);
  const rendered = await renderBlueprint(files, context);
  for (const f of rendered) {
    const target = path.join(into, f.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, f.content, {
      mode: f.executable ? 0o755 : 0o644,
    });
  }
  return {
    entity,
    values: checked.values,
    context,
    paths: rendered.map(f => f.path),
  };
}

/** The render context of the example run with `values`: what blueprint files and step inputs see. */
function exampleRenderContext(
  entity: BlueprintEntityV1alpha1,
  values: JsonObject,
) {
  const run = exampleRun(entity);
  return createRenderContext({
    run: { ...run, values },
    blueprint: {
      name:
        entity.metadata.labels?.[ANNOTATION_BLUEPRINT] ?? entity.metadata.name,
      version: entity.spec.version,
    },
    repository: { path: repositoryPathFor(run) },
  });
}

/**
 * Runs a command in a rendered repository with this repository's node_modules linked in, so
 * TypeScript, @types/* and runtime libraries come from here and nothing is downloaded.
 */
export async function runInRepository(
  dir: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
) {
  await fs
    .symlink(
      path.join(REPOSITORY_ROOT, 'node_modules'),
      path.join(dir, 'node_modules'),
    )
    .catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') {
        throw e;
      }
    });
  try {
    return await execFileAsync(command, args, {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
  } catch (e) {
    const error = e as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${dir}:\n${error.stdout ?? ''}\n${
        error.stderr ?? error.message
      }`,
    );
  }
}

/** Summary line counts of a `node --test` run (TAP output). */
export function testCounts(tap: string): {
  tests: number;
  pass: number;
  fail: number;
} {
  const count = (key: string) =>
    Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? NaN);
  return { tests: count('tests'), pass: count('pass'), fail: count('fail') };
}
