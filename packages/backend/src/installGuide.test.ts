import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The code blocks of docs/install.md that start with a `// <file>` comment, by file. */
function guideBlocks(): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const [, body] of read('docs/install.md').matchAll(
    /```tsx?\n([\s\S]*?)```/g,
  )) {
    const [first, ...rest] = body.split('\n');
    const file = first.match(/^\/\/ (packages\/\S+)$/)?.[1];
    if (file) {
      blocks.set(file, rest.join('\n'));
    }
  }
  return blocks;
}

/** The statements of a piece of TypeScript: comment lines left out, whitespace collapsed. */
const statements = (code: string) =>
  code
    .split('\n')
    .filter(line => !line.trim().startsWith('//'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/,? \)/g, ')')
    .trim();

describe('docs/install.md and the dev portal', () => {
  const blocks = guideBlocks();

  it('installs the backend with the lines the guide shows, and without the allow-all policy', () => {
    const guide = blocks.get('packages/backend/src/index.ts');
    expect(guide).toBeDefined();
    const portal = read('packages/backend/src/index.ts');
    expect(statements(portal)).toContain(statements(guide!));
    expect(portal).not.toContain('allow-all-policy');
  });

  it("has the guide's permission policy file, unchanged", () => {
    expect(blocks.get('packages/backend/src/permissionPolicy.ts')).toBe(
      read('packages/backend/src/permissionPolicy.ts'),
    );
  });

  it('registers and trusts the starter set as the guide does, in place instead of a copy', () => {
    const inPlace = (text: string) =>
      text.replaceAll('../../provisionhub/', '../../packages/starter/');
    const guide = [
      ...read('docs/install.md').matchAll(/```yaml\n([\s\S]*?)```/g),
    ].map(([, body]) => yaml.parse(inPlace(body)));
    const config = yaml.parse(read('app-config.yaml'));
    const location = guide.find(b => b?.catalog)?.catalog.locations;
    expect(location).toHaveLength(1);
    expect(config.catalog.locations).toContainEqual(location[0]);
    const blueprints = guide.find(b => b?.provisionhub?.blueprints)
      ?.provisionhub.blueprints;
    // The dev portal trusts its own example blueprint (catalog/modules) as well.
    expect(config.provisionhub.blueprints.trusted).toEqual(
      expect.arrayContaining(blueprints.trusted),
    );
    expect(config.provisionhub.blueprints.sharedFolders).toEqual(
      blueprints.sharedFolders,
    );
  });
});
