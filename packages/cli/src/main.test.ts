import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from './main';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await main(argv, { stdout, stderr, env });
  return {
    code,
    stdout: (stdout.read() ?? '').toString(),
    stderr: (stderr.read() ?? '').toString(),
  };
}

describe('provisionhub', () => {
  it('answers --help and --version with exit code 0', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('Usage: provisionhub [options] [command]');
    expect(help.stdout).toContain('2  usage or input errors');
    expect(help.stdout).toContain('-V, --version');
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await run(['-V'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await run(['runs', 'create', '--help'])).code).toBe(0);
  });

  it('answers usage errors with exit code 2 and the help of the command', async () => {
    const unknown = await run(['runs', 'start']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'start'");
    const missing = await run(['runs', 'create', '--kind', 'system']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "error: required option '--name <name>' not specified",
    );
    const notANumber = await run(['runs', 'list', '--limit', 'many']);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--limit must be a positive number.');
    expect((await run([])).code).toBe(2);
  });

  describe('login', () => {
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      // A portal whose auth backend does not offer Backstage's CLI sign-in.
      server = http.createServer((_req, res) => {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":"not_found"}');
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise(resolve => server.close(resolve)));

    it('explains, when the portal has no CLI sign-in, how to use a token instead', async () => {
      const result = await run(['login', '--url', url]);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `provisionhub: ${url} does not offer Backstage's CLI sign-in (GET /api/auth/.well-known/oauth-client/cli.json answered 404; its admins turn it on with auth.experimentalClientIdMetadataDocuments.enabled: true). Use a token instead: export PROVISIONHUB_TOKEN=<a token of backend.auth.externalAccess>, see the provisionhub README\n`,
      });
    });

    it('needs to know which portal', async () => {
      expect(await run(['login'])).toMatchObject({
        code: 2,
        stderr:
          'provisionhub: which portal? Give --url https://backstage.example.com or set PROVISIONHUB_URL\n',
      });
    });
  });
});
