import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { git } from './git';

/** The fields of GitHub's repository object this server keeps. */
export interface FakeGitHubRepository {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  archived: boolean;
  visibility: string;
  description: string | null;
  default_branch: string;
  topics: string[];
  html_url: string;
  clone_url: string;
  owner: { login: string; type: 'Organization' };
}

/** The fields of GitHub's pull request object this server keeps. */
export interface FakeGitHubPullRequest {
  number: number;
  state: 'open' | 'closed';
  /** Set by {@link FakeGitHub.closePullRequest} with `merged`. */
  merged: boolean;
  title: string;
  body: string | null;
  html_url: string;
  head: { ref: string; label: string };
  base: { ref: string };
}

/**
 * A test server for the GitHub REST endpoints the `github` provider calls, with the request and
 * response shapes GitHub documents (including error bodies): `GET /repos/{owner}/{repo}`,
 * `POST /orgs/{org}/repos`, `PATCH /repos/{owner}/{repo}` (`default_branch`, `archived`),
 * `PUT /repos/{owner}/{repo}/topics`, `GET` and `POST /repos/{owner}/{repo}/pulls`,
 * `GET /repos/{owner}/{repo}/pulls/{number}`.
 * An archived repository is read-only: changing it answers 403, as GitHub does.
 * Each created repository is a real bare repository on disk; its `clone_url` is its `file://`
 * URL, so the worker's pushes land there. The token is checked in `Authorization`.
 */
export class FakeGitHub {
  readonly repositories = new Map<string, FakeGitHubRepository>();
  /** Pull requests by repository full name. */
  readonly pulls = new Map<string, FakeGitHubPullRequest[]>();
  readonly requests: string[] = [];
  #server?: http.Server;
  #nextId = 1;

  constructor(
    readonly options: {
      token: string;
      organizations: string[];
      /** Folder for the bare repositories (`<org>/<name>.git`). */
      gitRoot: string;
    },
  ) {}

  get url(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        this.#send(res, 500, { message: (error as Error).message });
      });
    });
    await new Promise<void>(resolve =>
      this.#server!.listen(0, '127.0.0.1', resolve),
    );
    return this;
  }

  /** Closes a pull request as GitHub's merge (or close) button would; the branches stay as they are. */
  closePullRequest(
    fullName: string,
    number: number,
    options: { merged: boolean },
  ) {
    const pull = this.pulls.get(fullName)?.find(p => p.number === number);
    if (!pull) {
      throw new Error(`${fullName} has no pull request ${number}`);
    }
    pull.state = 'closed';
    pull.merged = options.merged;
  }

  async stop() {
    this.#server?.closeAllConnections();
    await new Promise(resolve => this.#server?.close(resolve));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readJson(req);
    const url = new URL(req.url!, 'http://fake');
    this.requests.push(`${req.method} ${url.pathname}`);
    const auth = req.headers.authorization ?? '';
    if (
      auth !== `token ${this.options.token}` &&
      auth !== `Bearer ${this.options.token}`
    ) {
      this.#send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
      return;
    }
    const one = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/);
    if (one && req.method === 'GET') {
      const pull = this.pulls
        .get(`${one[1]}/${one[2]}`)
        ?.find(p => p.number === Number(one[3]));
      this.#send(res, pull ? 200 : 404, pull ?? { message: 'Not Found' });
      return;
    }
    const pulls = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls$/);
    if (pulls) {
      this.#pulls(`${pulls[1]}/${pulls[2]}`, req.method!, url, body, res);
      return;
    }
    const repo = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)(\/topics)?$/);
    const create = url.pathname.match(/^\/orgs\/([^/]+)\/repos$/);
    if (repo) {
      const existing = this.repositories.get(`${repo[1]}/${repo[2]}`);
      if (!existing) {
        this.#send(res, 404, {
          message: 'Not Found',
          documentation_url:
            'https://docs.github.com/rest/repos/repos#get-a-repository',
        });
      } else if (req.method === 'GET' && !repo[3]) {
        this.#send(res, 200, existing);
      } else if (req.method !== 'GET' && existing.archived) {
        this.#send(res, 403, {
          message: 'Repository was archived so is read-only.',
          documentation_url:
            'https://docs.github.com/rest/repos/repos#update-a-repository',
        });
      } else if (req.method === 'PATCH' && !repo[3]) {
        if (body.archived === true) {
          existing.archived = true;
        }
        if (typeof body.default_branch === 'string') {
          existing.default_branch = body.default_branch;
          if (existing.clone_url.startsWith('file://')) {
            await git(
              '/',
              `--git-dir=${existing.clone_url.slice('file://'.length)}`,
              'symbolic-ref',
              'HEAD',
              `refs/heads/${body.default_branch}`,
            );
          }
        }
        this.#send(res, 200, existing);
      } else if (req.method === 'PUT' && repo[3]) {
        existing.topics = body.names as string[];
        this.#send(res, 200, { names: existing.topics });
      } else {
        this.#send(res, 405, { message: 'Method Not Allowed' });
      }
      return;
    }
    if (create && req.method === 'POST') {
      await this.#createRepository(create[1], body, res);
      return;
    }
    this.#send(res, 404, { message: 'Not Found' });
  }

  #pulls(
    fullName: string,
    method: string,
    url: URL,
    body: Record<string, unknown>,
    res: http.ServerResponse,
  ) {
    const repository = this.repositories.get(fullName);
    if (!repository) {
      this.#send(res, 404, { message: 'Not Found' });
      return;
    }
    const pulls = this.pulls.get(fullName) ?? [];
    this.pulls.set(fullName, pulls);
    const owner = repository.owner.login;
    if (method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const base = url.searchParams.get('base');
      this.#send(
        res,
        200,
        pulls.filter(
          pull =>
            (state === 'all' || pull.state === state) &&
            (!head || pull.head.label === head) &&
            (!base || pull.base.ref === base),
        ),
      );
      return;
    }
    if (method !== 'POST') {
      this.#send(res, 405, { message: 'Method Not Allowed' });
      return;
    }
    const head = body.head as string;
    if (pulls.some(p => p.state === 'open' && p.head.ref === head)) {
      this.#send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${head}.`,
          },
        ],
        documentation_url:
          'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      });
      return;
    }
    const pull: FakeGitHubPullRequest = {
      number: pulls.length + 1,
      state: 'open',
      merged: false,
      title: body.title as string,
      body: (body.body as string) ?? null,
      html_url: `${repository.html_url}/pull/${pulls.length + 1}`,
      head: { ref: head, label: `${owner}:${head}` },
      base: { ref: body.base as string },
    };
    pulls.push(pull);
    this.#send(res, 201, pull);
  }

  async #createRepository(
    org: string,
    body: Record<string, unknown>,
    res: http.ServerResponse,
  ) {
    if (!this.options.organizations.includes(org)) {
      this.#send(res, 404, {
        message: 'Not Found',
        documentation_url:
          'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
      });
      return;
    }
    const name = body.name as string;
    if (this.repositories.has(`${org}/${name}`)) {
      this.#send(res, 422, {
        message: 'Repository creation failed.',
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
        documentation_url:
          'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
      });
      return;
    }
    const bare = path.join(this.options.gitRoot, org, `${name}.git`);
    await fs.mkdir(path.dirname(bare), { recursive: true });
    await git(
      path.dirname(bare),
      'init',
      '--bare',
      '--quiet',
      '--initial-branch=main',
      bare,
    );
    const visibility = (body.visibility as string) ?? 'public';
    const id = this.#nextId++;
    const repository: FakeGitHubRepository = {
      id,
      node_id: `R_${id}`,
      name,
      full_name: `${org}/${name}`,
      private: visibility !== 'public',
      archived: false,
      visibility,
      description: (body.description as string) ?? null,
      default_branch: 'main',
      topics: [],
      html_url: `https://github.example/${org}/${name}`,
      clone_url: `file://${bare}`,
      owner: { login: org, type: 'Organization' },
    };
    this.repositories.set(repository.full_name, repository);
    this.#send(res, 201, repository);
  }

  #send(res: http.ServerResponse, status: number, body: unknown) {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}

async function readJson(
  req: http.IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
