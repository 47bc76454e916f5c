import type { BlueprintFile } from '../blueprints/BlueprintFile';
import { computeBlueprintDigest } from '../blueprints/computeBlueprintDigest';
import { BlueprintRenderError } from './BlueprintRenderError';
import { createRenderContext } from './createRenderContext';
import { renderBlueprint } from './renderBlueprint';
import { renderTemplateString } from './renderTemplateString';

const context = createRenderContext({
  run: {
    kind: 'component',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    values: {
      port: 8080,
      db: { enabled: true, name: 'payments' },
      tags: ['a', 'b'],
    },
  },
  blueprint: { name: 'node-backend', version: '1.2.0' },
  repository: { path: 'payments/payments-api' },
});

function file(
  path: string,
  content: string | Buffer,
  executable = false,
): BlueprintFile {
  return {
    path,
    content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    executable,
  };
}

/** A tiny PNG: binary by any measure, and it happens to contain `${{`-like bytes nowhere. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

async function renderError(
  files: BlueprintFile[],
): Promise<BlueprintRenderError> {
  const error = await renderBlueprint(files, context).then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(BlueprintRenderError);
  return error as BlueprintRenderError;
}

describe('renderBlueprint', () => {
  it('renders contents with ${{ }}, blocks and comments, and leaves {{ }} alone', async () => {
    const [out] = await renderBlueprint(
      [
        file(
          'catalog-info.yaml',
          [
            'name: ${{ name }}',
            'owner: ${{ owner }}',
            '{# a comment #}port: ${{ values.port }}',
            '{% if values.db.enabled %}db: ${{ values.db.name }}{% endif %}',
            'tags: [{% for t in values.tags %}${{ t }}{% if not loop.last %}, {% endif %}{% endfor %}]',
            'helm: {{ .Values.image }}',
            'blueprint: ${{ blueprint.name }}@${{ blueprint.version }} in ${{ repository.path }}',
          ].join('\n'),
        ),
      ],
      context,
    );
    expect(out.content.toString()).toBe(
      [
        'name: payments-api',
        'owner: group:default/payments',
        'port: 8080',
        'db: payments',
        'tags: [a, b]',
        'helm: {{ .Values.image }}',
        'blueprint: node-backend@1.2.0 in payments/payments-api',
      ].join('\n'),
    );
  });

  it('lets filters give undefined values a default', async () => {
    const [out] = await renderBlueprint(
      [
        file(
          'values.yaml',
          'replicas: ${{ values.replicas | default(2) }}\nname: ${{ name | upper }}',
        ),
      ],
      context,
    );
    expect(out.content.toString()).toBe('replicas: 2\nname: PAYMENTS-API');
  });

  it('names the undefined variable, the file and the line', async () => {
    const error = await renderError([
      file('README.md', 'fine ${{ name }}'),
      file('catalog-info.yaml', 'a: 1\nb: 2\nc: 3\nport: ${{ values.prot }}\n'),
    ]);
    expect(error.message).toMatch(
      /^catalog-info\.yaml line 4: 'values\.prot' is not defined/,
    );
    expect(error.sourcePath).toBe('catalog-info.yaml');
    expect(error.line).toBe(4);
  });

  it('names the first missing part of a nested variable', async () => {
    const error = await renderError([
      file('a.txt', 'x\n  host: ${{ values.cache.host }}'),
    ]);
    expect(error.message).toMatch(
      /^a\.txt line 2: 'values\.cache' is not defined/,
    );
  });

  it('names loop variables and unknown top-level names as written', async () => {
    const error = await renderError([
      file(
        'list.txt',
        '{% for t in values.tags %}\n${{ t.missing }}\n{% endfor %}\n${{ nope }}',
      ),
    ]);
    expect(error.message).toMatch(
      /^list\.txt line 2: 't\.missing' is not defined/,
    );
  });

  it('reports template syntax errors with the file name', async () => {
    const error = await renderError([file('broken.txt', 'a ${{ name ')]);
    expect(error.message).toMatch(/^broken\.txt: .*variable end/);
  });

  it('renders file and folder names', async () => {
    const files = await renderBlueprint(
      [
        file('src/${{ name }}.ts', 'export const name = "${{ name }}";'),
        file('${{ system }}/${{ name }}/README.md', '# ${{ name }}'),
      ],
      context,
    );
    expect(
      files.map(f => [f.path, f.sourcePath, f.content.toString()]),
    ).toEqual([
      [
        'payments/payments-api/README.md',
        '${{ system }}/${{ name }}/README.md',
        '# payments-api',
      ],
      [
        'src/payments-api.ts',
        'src/${{ name }}.ts',
        'export const name = "payments-api";',
      ],
    ]);
  });

  it('names the file whose name uses an undefined variable', async () => {
    const error = await renderError([file('src/${{ values.module }}.ts', 'x')]);
    expect(error.message).toContain(
      "file name of 'src/${{ values.module }}.ts'",
    );
    expect(error.message).toContain("'values.module' is not defined");
  });

  it.each([
    ['../escape.txt', '${{ "../escape.txt" }}', "contains '..'"],
    ['a/../../b', 'a/${{ "../.." }}/b', "contains '..'"],
    ['/etc/passwd', '${{ "/etc/passwd" }}', 'absolute'],
    ['empty', '${{ "" }}', 'is empty'],
    ['empty folder', 'src/${{ "" }}/x.ts', 'empty folder name'],
    ['.git', '${{ ".git" }}/hooks/pre-commit', "'.git'"],
    ['backslash', '${{ "..\\\\x" }}', 'backslashes'],
  ])('refuses a rendered path that is %s', async (_, source, why) => {
    const error = await renderError([file(source, 'content')]);
    expect(error.message).toContain(`file name of '${source}' renders to`);
    expect(error.message).toContain(why);
    expect(error.sourcePath).toBe(source);
  });

  it('refuses two files rendering to one path, and a file where a folder must be', async () => {
    expect(
      (
        await renderError([
          file('${{ name }}.txt', 'a'),
          file('payments-api.txt', 'b'),
        ])
      ).message,
    ).toContain("both render to 'payments-api.txt'");
    expect(
      (await renderError([file('${{ "lib" }}', 'a'), file('lib/x.ts', 'b')]))
        .message,
    ).toContain('needs a folder of that name');
  });

  it('copies binary files untouched and still renders their names', async () => {
    const withMarkers = Buffer.concat([
      PNG,
      Buffer.from('${{ nope }}'),
      Buffer.from([0, 0, 0]),
    ]);
    const [png] = await renderBlueprint(
      [file('assets/${{ name }}.png', withMarkers)],
      context,
    );
    expect(png.path).toBe('assets/payments-api.png');
    expect(png.binary).toBe(true);
    expect(png.content.equals(withMarkers)).toBe(true);
  });

  it('keeps the executable bit and sorts the output by path', async () => {
    const files = await renderBlueprint(
      [
        file('z.txt', 'z'),
        file(
          'scripts/start-${{ name }}.sh',
          '#!/bin/sh\necho ${{ name }}\n',
          true,
        ),
        file('a.txt', 'a'),
      ],
      context,
    );
    expect(files.map(f => [f.path, f.executable])).toEqual([
      ['a.txt', false],
      ['scripts/start-payments-api.sh', true],
      ['z.txt', false],
    ]);
  });

  it('is deterministic: the same input gives byte-identical output, cached or not', async () => {
    const files = Array.from({ length: 30 }, (_, i) =>
      file(
        `src/${i}/\${{ name }}-${i}.ts`,
        `// ${i}\nexport const port${i} = \${{ values.port }} + ${i};\n`,
      ),
    );
    files.push(file('logo.png', PNG));
    const digest = computeBlueprintDigest(files);
    const first = await renderBlueprint(files, context);
    const cached = await renderBlueprint(files, context, { digest });
    const again = await renderBlueprint([...files].reverse(), context, {
      digest,
    });
    const flat = (out: typeof first) =>
      out
        .map(f => `${f.path}\0${f.executable}\0${f.content.toString('base64')}`)
        .join('\n');
    expect(flat(cached)).toBe(flat(first));
    expect(flat(again)).toBe(flat(first));
    expect(
      first.find(f => f.path === 'src/7/payments-api-7.ts')?.content.toString(),
    ).toBe('// 7\nexport const port7 = 8080 + 7;\n');
  });

  it('does not decode files without template syntax, so any encoding survives', async () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me\n', 'latin1');
    const [out] = await renderBlueprint([file('notes.txt', latin1)], context);
    expect(out.content.equals(latin1)).toBe(true);
  });
});

describe('renderTemplateString', () => {
  it('renders one string and names it in errors', async () => {
    await expect(
      renderTemplateString(
        'apps/${{ system }}/${{ name }}',
        context,
        'input.path',
      ),
    ).resolves.toBe('apps/payments/payments-api');
    await expect(
      renderTemplateString('${{ values.nope }}', context, 'input.path'),
    ).rejects.toThrow("input.path line 1: 'values.nope' is not defined");
  });
});
