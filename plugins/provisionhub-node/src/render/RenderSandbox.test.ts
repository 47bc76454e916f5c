import fs from 'node:fs/promises';
import { createRenderContext } from './createRenderContext';
import { renderBlueprint } from './renderBlueprint';
import { renderSandbox } from './RenderSandbox';

const context = createRenderContext({
  run: {
    kind: 'component',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    values: {},
  },
  blueprint: { name: 'node-backend', version: '1.0.0' },
  repository: { path: 'payments/payments-api' },
});

const file = (path: string, content: string) => ({
  path,
  content: Buffer.from(content),
  executable: false,
});

describe('the render sandbox', () => {
  it('runs in its own process with an empty environment and the permission model', async () => {
    process.env.PROVISIONHUB_SANDBOX_TEST_SECRET = 'do-not-inherit';
    await renderBlueprint([file('a.txt', '${{ name }}')], context);
    const pid = renderSandbox().pid!;
    expect(pid).not.toBe(process.pid);
    const environ = (await fs.readFile(`/proc/${pid}/environ`, 'utf8'))
      .split('\0')
      .filter(Boolean);
    // Only what Node itself sets up for the IPC channel.
    expect(environ.every(v => v.startsWith('NODE_CHANNEL_'))).toBe(true);
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split(
      '\0',
    );
    expect(cmdline).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^--(experimental-)?permission$/),
        expect.stringMatching(/^--allow-fs-read=.*renderSandbox\.cjs$/),
        expect.stringMatching(/^--allow-fs-read=.*nunjucks\.js$/),
        '--max-old-space-size=512',
      ]),
    );
    expect(cmdline.some(arg => arg.startsWith('--allow-fs-write'))).toBe(false);
    delete process.env.PROVISIONHUB_SANDBOX_TEST_SECRET;
  });

  it('stops a render stuck where the template cannot check the clock, names the file, and starts again', async () => {
    const stuck = await renderBlueprint(
      [
        file('fine.txt', '${{ name }}'),
        file(
          'regex.txt',
          '${{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | replace(r/(a+)+$/, "x") }}',
        ),
      ],
      context,
      { limits: { timeoutMs: 200 } },
    ).then(
      () => undefined,
      e => e as Error,
    );
    expect(stuck?.message).toBe(
      'regex.txt: rendering took longer than the time limit of 200 ms',
    );
    const [out] = await renderBlueprint(
      [file('after.txt', 'still ${{ name }}')],
      context,
    );
    expect(out.content.toString()).toBe('still payments-api');
  });

  it('keeps compiled templates per digest across renders, for any number of digests', async () => {
    for (let i = 0; i < 40; i++) {
      const [out] = await renderBlueprint(
        [file('n.txt', `${i}: \${{ name }}`)],
        context,
      );
      expect(out.content.toString()).toBe(`${i}: payments-api`);
    }
    const [again] = await renderBlueprint([file('n.txt', '0: ${{ name }}')], {
      ...context,
      name: 'other',
    });
    expect(again.content.toString()).toBe('0: other');
  });
});
