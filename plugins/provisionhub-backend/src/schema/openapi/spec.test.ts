import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { spec } from './spec';

describe('openapi spec', () => {
  it('is in sync with src/schema/openapi.yaml (run yarn generate:openapi after editing it)', () => {
    const yaml = YAML.parse(
      fs.readFileSync(path.resolve(__dirname, '../openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(yaml);
  });
});
