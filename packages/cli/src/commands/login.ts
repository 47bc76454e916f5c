import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { CommandEnv, action } from '../lib/command';
import type { CommandContext } from '../lib/context';
import { displayUrl, instanceNameFor, parsePortalUrl } from '../lib/connection';
import { CliError, EXIT } from '../lib/errors';

/** Where Backstage's CLI sign-in is offered (its auth backend's client metadata document). */
const CLI_CLIENT_PATH = '/api/auth/.well-known/oauth-client/cli.json';

function portalOf(ctx: CommandContext): URL {
  const raw = ctx.globals.url ?? ctx.io.env.PROVISIONHUB_URL;
  if (!raw) {
    throw new CliError(
      'which portal? Give --url https://backstage.example.com or set PROVISIONHUB_URL',
      EXIT.usage,
    );
  }
  return parsePortalUrl(raw);
}

/** Whether the portal offers Backstage's CLI sign-in; explains what to do when it does not. */
async function checkCliSignIn(url: URL) {
  const target = displayUrl(url);
  let response: Response;
  try {
    response = await fetch(new URL(CLI_CLIENT_PATH, url), {
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new CliError(
      `cannot reach ${target}: ${(cause ?? (error as Error)).message}`,
      EXIT.usage,
    );
  }
  if (!response.ok) {
    throw new CliError(
      `${target} does not offer Backstage's CLI sign-in (GET ${CLI_CLIENT_PATH} answered ${response.status}; ` +
        `its admins turn it on with auth.experimentalClientIdMetadataDocuments.enabled: true). ` +
        `Use a token instead: export PROVISIONHUB_TOKEN=<a token of backend.auth.externalAccess>, see the provisionhub README`,
      EXIT.usage,
    );
  }
}

/** Runs a command of Backstage's CLI auth module (`auth login`, `auth logout`) in this terminal. */
function runBackstageAuth(args: string[]): Promise<number> {
  const bin = path.resolve(
    path.dirname(require.resolve('@backstage/cli-module-auth/package.json')),
    'bin/backstage-cli-module-auth',
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'auth', ...args], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', code => resolve(code ?? 1));
  });
}

/**
 * Where the Backstage CLI keeps the session's tokens when no OS keychain (keytar) can be loaded:
 * plain files, readable only by their owner.
 */
function plainTokenFolder(env: NodeJS.ProcessEnv): string | undefined {
  try {
    // Loaded the way the Backstage CLI loads it, from its own package.
    createRequire(require.resolve('@backstage/cli-node/package.json'))(
      'keytar',
    );
    return undefined;
  } catch {
    return path.join(
      env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'),
      'backstage-cli',
      'auth-secrets',
    );
  }
}

/** `provisionhub login` and `logout`: Backstage's CLI sign-in, for people. */
export function registerLoginCommands(program: Command, env: CommandEnv) {
  program
    .command('login')
    .description(
      "sign in to the portal in a browser with Backstage's CLI sign-in (CI uses PROVISIONHUB_TOKEN instead)",
    )
    .option(
      '--no-browser',
      'print the sign-in URL instead of opening a browser',
    )
    .action(
      action(env, async (ctx, options: { browser: boolean }) => {
        const url = portalOf(ctx);
        await checkCliSignIn(url);
        const code = await runBackstageAuth([
          'login',
          '--backend-url',
          url.toString().replace(/\/$/, ''),
          '--instance',
          instanceNameFor(url),
          ...(options.browser ? [] : ['--no-browser']),
        ]);
        if (code !== 0) {
          throw new CliError(
            `Backstage's CLI sign-in did not complete (it exited with ${code})`,
            EXIT.usage,
          );
        }
        const target = displayUrl(url);
        ctx.out.info(
          `provisionhub now calls ${target} as you: pass --url ${target} or set PROVISIONHUB_URL (with neither, it uses the portal selected in \`backstage-cli auth select\`)`,
        );
        const folder = plainTokenFolder(ctx.io.env);
        if (folder) {
          ctx.out.info(
            `No OS keychain is available here, so the Backstage CLI keeps this session's tokens in plain files readable only by you, under ${folder}; \`provisionhub logout\` deletes them`,
          );
        }
      }),
    );

  program
    .command('logout')
    .description('sign out of the portal and delete the stored session')
    .action(
      action(env, async ctx => {
        const url = portalOf(ctx);
        const code = await runBackstageAuth([
          'logout',
          '--instance',
          instanceNameFor(url),
        ]);
        return code === 0 ? EXIT.ok : EXIT.usage;
      }),
    );
}
