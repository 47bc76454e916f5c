// Runs the starter set's two software templates end to end through the scaffolder API of a running
// portal, signed in as the guest: provisionhub-create-system, then provisionhub-create-component
// (node-backend) in that system. Checks that both tasks completed, that each repository exists
// under the git provider's remoteBase with a commit, and that both entities are in the catalog.
//
// Usage: node run-templates.mjs <portal URL> <git remoteBase folder> <owner ref>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [baseUrl, gitRoot, owner] = process.argv.slice(2);
const suffix = Date.now().toString(36);
const system = `install-check-${suffix}`;
const component = `install-api-${suffix}`;
const TIMEOUT_MS = 300_000;

function fail(message) {
  process.stderr.write(`[templates] ${message}\n`);
  process.exit(1);
}
const log = message => process.stdout.write(`[templates] ${message}\n`);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Calls `check` every half second until it returns a value; fails after TIMEOUT_MS. */
async function waitFor(what, check) {
  const deadline = Date.now() + TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  return fail(
    `${what}: not within ${TIMEOUT_MS / 1000} s${
      last ? ` (${last.message})` : ''
    }`,
  );
}

let token;
async function api(pathname, init = {}) {
  const response = await fetch(`${baseUrl}${pathname}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...init.headers,
    },
  });
  const body = await response.text();
  return { status: response.status, body: body ? JSON.parse(body) : undefined };
}
const ok = async pathname => {
  const { status, body } = await api(pathname);
  return status === 200 ? body : undefined;
};

async function runTemplate(template, values) {
  const created = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values,
    }),
  });
  if (created.status !== 201) {
    fail(
      `POST /api/scaffolder/v2/tasks (${template}) answered ${
        created.status
      }: ${JSON.stringify(created.body)}`,
    );
  }
  const id = created.body.id;
  log(`${template}: task ${id} started`);
  const status = await waitFor(`task ${id} of ${template} to end`, async () => {
    const task = await ok(`/api/scaffolder/v2/tasks/${id}`);
    return ['completed', 'failed', 'cancelled'].includes(task?.status)
      ? task.status
      : undefined;
  });
  const events = (await ok(`/api/scaffolder/v2/tasks/${id}/events`)) ?? [];
  if (status !== 'completed') {
    const lines = events
      .filter(e => e.type === 'log')
      .map(e => `  ${e.body.message}`);
    fail(
      `${template}: task ${id} ended ${status}; its log:\n${lines.join('\n')}`,
    );
  }
  const output = events.find(e => e.type === 'completion')?.body.output ?? {};
  log(
    `${template}: completed; links: ${(output.links ?? [])
      .map(l => l.url ?? l.entityRef)
      .join(', ')}`,
  );
}

/** The bare repository `<name>.git` the git provider created somewhere under its remoteBase. */
function expectRepository(name) {
  const repo = fs
    .readdirSync(gitRoot, { recursive: true, withFileTypes: true })
    .find(entry => entry.isDirectory() && entry.name === `${name}.git`);
  if (!repo) fail(`no repository ${name}.git under ${gitRoot}`);
  const relative = path.relative(
    gitRoot,
    path.join(repo.parentPath, repo.name),
  );
  try {
    const head = execFileSync(
      'git',
      [
        '--git-dir',
        path.join(gitRoot, relative),
        'log',
        '-1',
        '--format=%h %s',
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).trim();
    log(`repository ${relative}: ${head}`);
  } catch (error) {
    fail(`repository ${relative} has no commit: ${error.stderr}`);
  }
}

async function expectEntity(ref) {
  const [kind, rest] = ref.split(':');
  const entity = await waitFor(`${ref} in the catalog`, () =>
    ok(`/api/catalog/entities/by-name/${kind}/${rest}`),
  );
  log(
    `catalog: ${ref} (${entity.metadata.annotations?.['provisionhub.io/blueprint']})`,
  );
}

await waitFor(
  'the ProvisionHub backend to answer /api/provisionhub/health',
  () => ok('/api/provisionhub/health'),
);
token = await waitFor(
  'a guest token from /api/auth/guest/refresh',
  async () => (await ok('/api/auth/guest/refresh'))?.backstageIdentity?.token,
);
await waitFor(
  'both templates and the starter blueprints in the catalog',
  async () => {
    const templates = await Promise.all(
      ['provisionhub-create-system', 'provisionhub-create-component'].map(
        name => ok(`/api/catalog/entities/by-name/template/default/${name}`),
      ),
    );
    const blueprints = JSON.stringify(
      (await ok('/api/provisionhub/blueprints')) ?? '',
    );
    return templates.every(Boolean) &&
      blueprints.includes('"system"') &&
      blueprints.includes('"node-backend"')
      ? true
      : undefined;
  },
);
log('portal is up: guest signed in, templates and blueprints in the catalog');

await runTemplate('provisionhub-create-system', {
  name: system,
  owner,
  blueprint: 'system',
  values: { description: 'Created by scripts/test-install.sh' },
});
expectRepository(system);
await expectEntity(`system:default/${system}`);

await runTemplate('provisionhub-create-component', {
  name: component,
  owner,
  system: `system:default/${system}`,
  blueprint: 'node-backend',
  values: { description: 'Created by scripts/test-install.sh' },
});
expectRepository(component);
await expectEntity(`component:default/${component}`);
