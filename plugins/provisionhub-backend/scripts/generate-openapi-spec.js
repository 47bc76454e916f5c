#!/usr/bin/env node
/*
 * Writes src/schema/openapi/spec.ts from src/schema/openapi.yaml: the spec as a `const` object,
 * which types the router and feeds its request validation (@backstage/backend-openapi-utils).
 *
 * `backstage-repo-tools package schema openapi generate --server` does the same and more, but it
 * needs the openapi-generator JAR from Maven Central, which cannot be downloaded on machines
 * that only reach the npm registry. `src/schema/openapi/spec.test.ts` fails when this file is
 * out of date.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const spec = YAML.parse(
  fs.readFileSync(path.join(root, 'src/schema/openapi.yaml'), 'utf8'),
);
const out = `// ******************************************************************
// * THIS FILE IS GENERATED FROM src/schema/openapi.yaml BY          *
// * scripts/generate-openapi-spec.js (yarn generate:openapi).      *
// * DO NOT EDIT IT DIRECTLY.                                       *
// ******************************************************************
export const spec = ${JSON.stringify(spec, null, 2)} as const;
`;
fs.writeFileSync(path.join(root, 'src/schema/openapi/spec.ts'), out);
console.log('Wrote src/schema/openapi/spec.ts');
