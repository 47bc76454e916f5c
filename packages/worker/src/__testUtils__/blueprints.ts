import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type {
  BlueprintStepSpec,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  computeBlueprintDigest,
  readBlueprintFiles,
} from '@provisionhub/plugin-provisionhub-node';

export type FixtureFile =
  | string
  | Buffer
  | { content: string | Buffer; executable: true };

/** A 1×1 PNG: binary, and copied untouched by the renderer. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** A multi-file blueprint: templated contents and names, a binary, a script, a deploy folder. */
export const SAMPLE_BLUEPRINT: Record<string, FixtureFile> = {
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: ${{ name }}',
    '  description: ${{ values.description }}',
    'spec:',
    '  type: service',
    '  owner: ${{ owner }}',
    '  system: ${{ system }}',
    '  lifecycle: experimental',
    '',
  ].join('\n'),
  'README.md':
    '# ${{ name }}\n\nServes on port ${{ values.port }}.\n{# internal note #}\n',
  'src/${{ name }}/index.ts': 'export const port = ${{ values.port }};\n',
  'scripts/start.sh': {
    content: '#!/bin/sh\nexec node dist/${{ name }}.js\n',
    executable: true,
  },
  'assets/logo.png': PNG,
  '.gitignore': 'node_modules/\n*.log\n',
  'docs/example.log': 'kept although .gitignore matches it\n',
  '.github/workflows/ci.yaml': 'run: echo "{{ github.sha }}"\n',
  'deploy/deployment.yaml':
    'kind: Deployment\nmetadata:\n  name: ${{ name }}\n',
  'deploy/service.yaml':
    'kind: Service\nmetadata:\n  name: ${{ name }}\nport: ${{ values.port }}\n',
};

/** What SAMPLE_BLUEPRINT renders to for `payments-api` in system `payments`, port 8080. */
export function expectedSampleFiles(
  name: string,
  system: string,
): Record<string, string> {
  return {
    '.github/workflows/ci.yaml': 'run: echo "{{ github.sha }}"\n',
    '.gitignore': 'node_modules/\n*.log\n',
    'README.md': `# ${name}\n\nServes on port 8080.\n\n`,
    'assets/logo.png': PNG.toString('base64'),
    'catalog-info.yaml': [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${name}`,
      '  description: Payments API',
      'spec:',
      '  type: service',
      '  owner: group:default/payments',
      `  system: ${system}`,
      '  lifecycle: experimental',
      '',
    ].join('\n'),
    'deploy/deployment.yaml': `kind: Deployment\nmetadata:\n  name: ${name}\n`,
    'deploy/service.yaml': `kind: Service\nmetadata:\n  name: ${name}\nport: 8080\n`,
    'docs/example.log': 'kept although .gitignore matches it\n',
    'scripts/start.sh': `#!/bin/sh\nexec node dist/${name}.js\n`,
    [`src/${name}/index.ts`]: 'export const port = 8080;\n',
  };
}

/** Writes a blueprint folder and returns its `file:` location and digest. */
export async function writeBlueprint(
  dir: string,
  files: Record<string, FixtureFile>,
): Promise<{ location: string; digest: string }> {
  for (const [file, spec] of Object.entries(files)) {
    const full = path.join(dir, file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    const content =
      typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : spec.content;
    const executable =
      typeof spec === 'object' && !Buffer.isBuffer(spec) && spec.executable;
    await fs.writeFile(full, content, { mode: executable ? 0o755 : 0o644 });
  }
  const location = `file:${dir}`;
  const digest = computeBlueprintDigest(
    await readBlueprintFiles([{ location, target: '' }]),
  );
  return { location, digest };
}

/** A valid job for a component of system `payments`. */
export function createJob(options: {
  location: string;
  digest: string;
  name?: string;
  runId?: string;
  steps?: BlueprintStepSpec[];
  values?: JobMessage['run']['values'];
  maxAttempt?: number;
}): JobMessage {
  const name = options.name ?? 'payments-api';
  return {
    kind: 'job',
    version: 1,
    runId: options.runId ?? randomUUID(),
    attempt: 1,
    maxAttempt: options.maxAttempt ?? 3,
    requestedAt: '2026-11-27T10:00:00.000Z',
    requestedBy: 'user:default/alice',
    run: {
      kind: 'component',
      name,
      owner: 'group:default/payments',
      system: 'payments',
      entityRef: `component:default/${name}`,
      values: options.values ?? { port: 8080, description: 'Payments API' },
    },
    blueprint: {
      name: 'node-backend',
      version: '1.0.0',
      type: 'backend',
      digest: options.digest,
      files: [{ location: options.location, target: '' }],
      steps: options.steps ?? [],
      catalogInfoPath: 'catalog-info.yaml',
    },
    repository: {
      path: `payments/${name}`,
      description: `The ${name} component`,
    },
  };
}
