import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { renderLoginPage } from './loginPage';
import type { DevIdpUser } from './realmUsers';

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) {
      throw new Error('the form is too large');
    }
  }
  return new URLSearchParams(body);
}

function sameSecret(a: string, b: string) {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

/**
 * The provider's own pages (`/interaction/:uid`): a login form that checks the user and the
 * password, and consent given on the user's behalf (every client here is the portal's own).
 * Answers false for any other path.
 */
export function createInteractionHandler(options: {
  provider: Provider;
  users: DevIdpUser[];
  password: string;
  /** Shown under the login form. */
  hint: string;
  log: (line: string) => void;
}) {
  const { provider, users, password, hint, log } = options;

  async function grantConsent(
    req: IncomingMessage,
    res: ServerResponse,
    interaction: Awaited<ReturnType<Provider['interactionDetails']>>,
  ) {
    const { details } = interaction.prompt as {
      details: {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
    };
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({
          accountId: interaction.session!.accountId,
          clientId: String(interaction.params.client_id),
        });
    if (!grant) {
      throw new Error(`grant ${interaction.grantId} is gone`);
    }
    if (details.missingOIDCScope) {
      grant.addOIDCScope(details.missingOIDCScope.join(' '));
    }
    if (details.missingOIDCClaims) {
      grant.addOIDCClaims(details.missingOIDCClaims);
    }
    for (const [resource, scopes] of Object.entries(
      details.missingResourceScopes ?? {},
    )) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  async function showLogin(
    res: ServerResponse,
    interaction: Awaited<ReturnType<Provider['interactionDetails']>>,
    status = 200,
    form?: { username?: string; error?: string },
  ) {
    const client = await provider.Client.find(
      String(interaction.params.client_id),
    );
    send(
      res,
      status,
      renderLoginPage({
        action: `/interaction/${interaction.uid}/login`,
        clientName: client?.clientName ?? String(interaction.params.client_id),
        hint,
        ...form,
      }),
    );
  }

  async function login(
    req: IncomingMessage,
    res: ServerResponse,
    interaction: Awaited<ReturnType<Provider['interactionDetails']>>,
  ) {
    const form = await readForm(req);
    const username = (form.get('username') ?? '').trim();
    const user = users.find(u => u.username === username);
    if (!user || !sameSecret(form.get('password') ?? '', password)) {
      log(`sign-in refused for '${username}': unknown user or wrong password`);
      await showLogin(res, interaction, 401, {
        username,
        error: 'Unknown user or wrong password.',
      });
      return;
    }
    log(`${user.username} signed in (groups: ${user.groups.join(', ')})`);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.username } },
      { mergeWithLastSubmission: false },
    );
  }

  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://idp');
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      return false;
    }
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== match[1]) {
        throw new Error('this sign-in page belongs to another sign-in');
      }
      if (match[2] && req.method === 'POST') {
        await login(req, res, interaction);
      } else if (interaction.prompt.name === 'login') {
        await showLogin(res, interaction);
      } else {
        await grantConsent(req, res, interaction);
      }
    } catch (error) {
      log(`interaction failed: ${(error as Error).message}`);
      send(
        res,
        400,
        `<!doctype html><p role="alert">This sign-in cannot continue (${
          (error as Error).name
        }); start again from the portal.</p>`,
      );
    }
    return true;
  };
}
