import { PassThrough } from 'node:stream';
import { Output } from './output';

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (s: PassThrough) => () => (s.read() ?? '').toString();
  return { io: { stdout, stderr, env }, out: read(stdout), err: read(stderr) };
}

describe('Output', () => {
  it('aligns table columns under the header', () => {
    const { io: streams, out } = io();
    new Output(streams, { json: false }).table(
      ['NAME', 'TYPE', 'TITLE'],
      [
        ['node-backend', 'backend', 'Node.js backend service'],
        ['system', 'system', 'System'],
      ],
    );
    expect(out()).toBe(
      [
        'NAME          TYPE     TITLE',
        'node-backend  backend  Node.js backend service',
        'system        system   System',
        '',
      ].join('\n'),
    );
  });

  it('with --json, keeps standard output for JSON and sends lines for people to standard error', () => {
    const { io: streams, out, err } = io();
    const output = new Output(streams, { json: true });
    output.info('Requested run 1');
    output.result({ id: '1' });
    expect(JSON.parse(out())).toEqual({ id: '1' });
    expect(err()).toBe('Requested run 1\n');
  });

  it('colours only a terminal, and never with NO_COLOR or --no-color', () => {
    const tty = io();
    (tty.io.stdout as any).isTTY = true;
    new Output(tty.io, { json: false }).info(
      new Output(tty.io, { json: false }).style.red('x'),
    );
    expect(tty.out()).toContain('\u001b[31mx');

    for (const [env, color] of [
      [{ NO_COLOR: '1' }, undefined],
      [{}, false],
    ] as const) {
      const plain = io(env);
      (plain.io.stdout as any).isTTY = true;
      const output = new Output(plain.io, { json: false, color });
      output.info(output.style.red('x'));
      expect(plain.out()).toBe('x\n');
    }
  });
});
