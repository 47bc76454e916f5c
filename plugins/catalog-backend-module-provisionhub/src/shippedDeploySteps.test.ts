import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlueprintStepSpec } from '@provisionhub/plugin-provisionhub-common';
import { renderTemplateString } from '@provisionhub/plugin-provisionhub-node';
import { createTempDir } from '@provisionhub/test-utils';
import type { JsonObject } from '@backstage/types';
import { parse as parseYaml } from 'yaml';
import {
  BLUEPRINTS_ROOT,
  devPortalEnvironments,
  exampleRun,
  findShippedBlueprints,
  readBlueprintEntity,
  renderShippedBlueprint,
} from './__testUtils__/shippedBlueprints';

jest.setTimeout(120_000);

/**
 * The blueprint step `deploy` (packages/worker/src/deploy/planDeployment.ts) copies a component's
 * `<from>/base` and `<from>/overlays/<environment>` into the GitOps repository and, in each
 * overlay, sets the environment's namespace and adds `images: [{ name: <input.image>, newTag:
 * <version> }]` (patchOverlay.ts); for a system it copies `<from>/<environment>` as rendered to
 * `<system>/_system/overlays/<environment>`. These tests do the same with the rendered shipped
 * blueprints and the dev portal's environments, and build the result with kubectl.
 */
const COMPONENT_BLUEPRINTS = [
  'node-backend/v1.2.0/blueprint.yaml',
  'react-frontend/v1.1.0/blueprint.yaml',
  'rabbitmq-worker/v1.1.0/blueprint.yaml',
];
const SYSTEM_BLUEPRINTS = ['system/v1.1.0/blueprint.yaml'];

/** The keys of a deploy step's input (its schema in packages/worker/src/steps/deploy.ts). */
const DEPLOY_INPUT_KEYS = ['from', 'image'];

function deploySteps(steps: BlueprintStepSpec[] | undefined) {
  return (steps ?? []).filter(s => s.type === 'deploy');
}

/** Why a deploy step's input breaks the step's contract: unknown keys, or keys that are not text. */
function deployInputProblems(input: JsonObject | undefined): string[] {
  return Object.entries(input ?? {}).flatMap(([key, value]) => {
    if (!DEPLOY_INPUT_KEYS.includes(key)) {
      return [`input.${key} is not an input of the deploy step`];
    }
    return typeof value === 'string' && value.trim()
      ? []
      : [`input.${key} must be a non-empty string`];
  });
}

async function readKustomization(dir: string): Promise<Record<string, any>> {
  return parseYaml(
    await fs.readFile(path.join(dir, 'kustomization.yaml'), 'utf8'),
  );
}

it('every shipped blueprint version with a deploy step is checked here, and it has exactly one', async () => {
  const counts: Array<[string, number]> = [];
  for (const file of await findShippedBlueprints()) {
    const steps = deploySteps((await readBlueprintEntity(file)).spec.steps);
    counts.push([path.relative(BLUEPRINTS_ROOT, file), steps.length]);
  }
  expect(counts.filter(([, count]) => count > 0).sort()).toEqual(
    [...COMPONENT_BLUEPRINTS, ...SYSTEM_BLUEPRINTS]
      .map(file => [file, 1])
      .sort(),
  );
});

describe.each(
  COMPONENT_BLUEPRINTS.flatMap(relative => [
    [relative, {}],
    [relative, { imageRegistry: 'registry.internal:5000/platform' }],
  ]) as Array<[string, JsonObject]>,
)(
  'the deploy step of packages/starter/blueprints/%s with values %j',
  (relative, values) => {
    let tmp: { dir: string; remove(): Promise<void> };
    let rendered: Awaited<ReturnType<typeof renderShippedBlueprint>>;
    let step: BlueprintStepSpec;
    let from: string;

    beforeAll(async () => {
      tmp = await createTempDir('provisionhub-deploy-step-');
      rendered = await renderShippedBlueprint(
        path.join(BLUEPRINTS_ROOT, relative),
        path.join(tmp.dir, 'repository'),
        values,
      );
      [step] = deploySteps(rendered.entity.spec.steps);
      from = (step.input?.from as string | undefined) ?? 'deploy';
    });

    afterAll(async () => {
      await tmp?.remove();
    });

    it('has an input the step accepts, naming the image the base kustomization produces', async () => {
      expect(deployInputProblems(step.input)).toEqual([]);
      expect(typeof step.input?.image).toBe('string');
      const image = await renderTemplateString(
        step.input!.image as string,
        rendered.context,
        'deploy step input.image',
      );
      const base = await readKustomization(
        path.join(tmp.dir, 'repository', from, 'base'),
      );
      const run = exampleRun(rendered.entity);
      expect(base.images).toEqual([
        {
          name: run.name,
          newName: image,
          newTag: expect.any(String),
        },
      ]);
      expect(image).toBe(
        `${rendered.values.imageRegistry}/${run.system}/${run.name}`,
      );
    });

    it('renders a base and an overlay for every environment of the dev portal', async () => {
      expect(rendered.paths).toContain(`${from}/base/kustomization.yaml`);
      for (const { name: environment } of await devPortalEnvironments()) {
        expect(rendered.paths).toContain(
          `${from}/overlays/${environment}/kustomization.yaml`,
        );
      }
    });
  },
);

describe.each(SYSTEM_BLUEPRINTS)(
  'the deploy step of packages/starter/blueprints/%s',
  relative => {
    it('copies from a folder with one kustomization per environment of the dev portal', async () => {
      const tmp = await createTempDir('provisionhub-deploy-step-system-');
      try {
        const rendered = await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          path.join(tmp.dir, 'repository'),
        );
        const [step] = deploySteps(rendered.entity.spec.steps);
        expect(deployInputProblems(step.input)).toEqual([]);
        expect(step.input).toEqual({ from: 'environments' });
        for (const { name: environment } of await devPortalEnvironments()) {
          expect(rendered.paths).toContain(
            `environments/${environment}/kustomization.yaml`,
          );
        }
      } finally {
        await tmp.remove();
      }
    });
  },
);
