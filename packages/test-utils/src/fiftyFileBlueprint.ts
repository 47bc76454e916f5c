import { createHash } from 'node:crypto';

/**
 * The benchmarks' blueprint (worker and whole pipeline): a 50-file blueprint shaped like a real service skeleton: 46 templated text files of
 * 0.3–3 KB (sources, tests, config, deployment), 2 plain files and 2 binaries.
 */
export function fiftyFileBlueprint(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
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
    'package.json': `{\n  "name": "@acme/\${{ name }}",\n  "version": "0.1.0",\n  "scripts": { "start": "node dist/index.js", "test": "jest" },\n  "dependencies": { "express": "^4.19.0" }\n}\n`,
    'README.md':
      '# ${{ name }}\n\nOwned by ${{ owner }}. Port ${{ values.port }}.\n{% if values.database %}\nUses PostgreSQL.\n{% endif %}\n',
    Dockerfile:
      'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE ${{ values.port }}\nCMD ["node", "dist/index.js"]\n',
    LICENSE: 'Apache License 2.0\n'.repeat(30),
    '.gitignore': 'node_modules/\ndist/\n',
    'assets/logo.png': binary('logo', 2048),
    'assets/favicon.ico': binary('favicon', 1024),
  };
  for (let i = 0; i < 30; i++) {
    files[`src/module${i}/\${{ name }}-${i}.ts`] = sourceFile(i);
  }
  for (let i = 0; i < 6; i++) {
    files[
      `test/module${i}.test.ts`
    ] = `import { handler${i} } from '../src/module${i}/\${{ name }}-${i}';\n\ndescribe('\${{ name }} module ${i}', () => {\n  it('answers', () => {\n    expect(handler${i}({ port: \${{ values.port }} })).toBeDefined();\n  });\n});\n`;
  }
  for (const kind of ['deployment', 'service', 'configmap', 'hpa']) {
    files[
      `deploy/${kind}.yaml`
    ] = `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: \${{ name }}\n  labels:\n    app.kubernetes.io/name: \${{ name }}\n    app.kubernetes.io/part-of: \${{ system }}\nspec:\n  port: \${{ values.port }}\n`;
  }
  files['.github/workflows/ci.yaml'] =
    'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "{{ github.sha }} ${{ name }}"\n';
  files['.github/workflows/release.yaml'] =
    'name: release\non: { push: { tags: ["v*"] } }\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo release ${{ name }}\n';
  return files;
}

function sourceFile(i: number): string {
  const lines = [
    `// Module ${i} of \${{ name }} (\${{ blueprint.name }}@\${{ blueprint.version }})`,
    `import express from 'express';`,
    '',
    `export interface Options${i} {`,
    '  port: number;',
    '}',
    '',
    `export function handler${i}(options: Options${i}) {`,
    '  const app = express();',
    `  app.get('/module${i}', (_req, res) => res.json({ service: '\${{ name }}', module: ${i} }));`,
    '  return app.listen(options.port);',
    '}',
  ];
  for (let j = 0; j < 2 + (i % 5) * 4; j++) {
    lines.push(
      '',
      `export const constant${i}_${j} = '\${{ system }}-${j}'; // padding that looks like code`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Deterministic bytes that are clearly binary. */
function binary(seed: string, size: number): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  while (chunks.length * 32 < size) {
    chunks.push(Buffer.concat([Buffer.from([0]), block.subarray(1)]));
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks).subarray(0, size);
}
