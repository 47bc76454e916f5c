import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { git } from './git';

/** The fields of GitLab's group object this server keeps. */
export interface FakeGitLabGroup {
  id: number;
  name: string;
  path: string;
  full_path: string;
  parent_id: number | null;
  visibility: string;
  web_url: string;
}

/** The fields of GitLab's project object this server keeps. */
export interface FakeGitLabProject {
  id: number;
  archived: boolean;
  name: string;
  path: string;
  path_with_namespace: string;
  name_with_namespace: string;
  description: string | null;
  default_branch: string | null;
  topics: string[];
  visibility: string;
  created_at: string;
  ssh_url_to_repo: string;
  http_url_to_repo: string;
  web_url: string;
  empty_repo: boolean;
  namespace: {
    id: number;
    name: string;
    path: string;
    kind: 'group';
    full_path: string;
  };
}

/** The fields of GitLab's merge request object this server keeps. */
export interface FakeGitLabMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'merged' | 'closed';
  source_branch: string;
  target_branch: string;
  remove_source_branch: boolean;
  web_url: string;
}

interface Failure {
  route: string;
  status: number;
  times: number;
  message?: string;
}

/**
 * A test server for the GitLab REST v4 endpoints the provider calls, with the request and
 * response shapes GitLab documents (including its error bodies), plus Git over HTTP for the
 * projects it holds, served by real `git http-backend` from bare repositories on disk.
 *
 * Endpoints: `GET /api/v4/groups/:id`, `POST /api/v4/groups`, `GET /api/v4/projects/:id`,
 * `POST /api/v4/projects`, `PUT /api/v4/projects/:id`, `POST /api/v4/projects/:id/archive`,
 * `GET` and `POST /api/v4/projects/:id/merge_requests`, `GET /api/v4/projects/:id/merge_requests/:iid`,
 * and `/<full path>.git/...` (smart HTTP). The API takes the token in `PRIVATE-TOKEN`; Git takes
 * it as the Basic password. An archived project refuses pushes, as GitLab does.
 */
export class FakeGitLab {
  readonly groups = new Map<string, FakeGitLabGroup>();
  readonly projects = new Map<string, FakeGitLabProject>();
  readonly mergeRequests: FakeGitLabMergeRequest[] = [];
  /** Every request: `METHOD /path` and the status answered. */
  readonly requests: Array<{ route: string; status: number; body?: unknown }> =
    [];
  readonly #failures: Failure[] = [];
  readonly #server: http.Server;
  readonly #root: string;
  readonly #token: string;
  #nextId = 100;
  url = '';

  static async start(options: {
    token: string;
    root: string;
  }): Promise<FakeGitLab> {
    const server = new FakeGitLab(options.token, options.root);
    await new Promise<void>(resolve =>
      server.#server.listen(0, '127.0.0.1', resolve),
    );
    server.url = `http://127.0.0.1:${
      (server.#server.address() as AddressInfo).port
    }`;
    return server;
  }

  private constructor(token: string, root: string) {
    this.#token = token;
    this.#root = root;
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: `500 Internal Server Error: ${error.message}`,
          }),
        );
      });
    });
  }

  /**
   * Answers the next `times` requests whose `METHOD /path` starts with `route` with `status`
   * and GitLab's error body (`{"message": …}`).
   */
  failNext(
    route: string,
    status: number,
    options: { times?: number; message?: string } = {},
  ): void {
    this.#failures.push({
      route,
      status,
      times: options.times ?? 1,
      message: options.message,
    });
  }

  clearFailures(): void {
    this.#failures.length = 0;
  }

  addGroup(fullPath: string): FakeGitLabGroup {
    const parent = this.groups.get(path.posix.dirname(fullPath));
    const name = path.posix.basename(fullPath);
    const group: FakeGitLabGroup = {
      id: this.#nextId++,
      name,
      path: name,
      full_path: fullPath,
      parent_id: parent?.id ?? null,
      visibility: 'private',
      web_url: `${this.url}/groups/${fullPath}`,
    };
    this.groups.set(fullPath, group);
    return group;
  }

  async addProject(
    fullPath: string,
    description: string,
  ): Promise<FakeGitLabProject> {
    const namespace =
      this.groups.get(path.posix.dirname(fullPath)) ??
      this.addGroup(path.posix.dirname(fullPath));
    return this.#createProject(namespace, path.posix.basename(fullPath), {
      description,
    });
  }

  /** The bare repository behind a project. */
  repositoryPath(fullPath: string): string {
    return path.join(this.#root, `${fullPath}.git`);
  }

  /**
   * Sets a merge request's state as GitLab's merge (or close) button would; the repository is
   * left as it is.
   */
  setMergeRequestState(webUrl: string, state: 'merged' | 'closed'): void {
    const mergeRequest = this.mergeRequests.find(mr => mr.web_url === webUrl);
    if (!mergeRequest) {
      throw new Error(`no merge request ${webUrl}`);
    }
    mergeRequest.state = state;
  }

  close(): Promise<void> {
    return new Promise(resolve => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    const reply = (
      status: number,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      this.requests.push({ route, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };

    const failure = this.#failures.find(
      f => f.times > 0 && route.startsWith(f.route),
    );
    if (failure) {
      failure.times -= 1;
      reply(failure.status, {
        message:
          failure.message ??
          `${failure.status} ${http.STATUS_CODES[failure.status]}`,
      });
      return;
    }

    if (url.pathname.startsWith('/api/v4/')) {
      if (req.headers['private-token'] !== this.#token) {
        reply(401, { message: '401 Unauthorized' });
        return;
      }
      const body = req.method === 'GET' ? {} : await readJson(req);
      await this.#api(
        req.method ?? 'GET',
        url.pathname.slice('/api/v4/'.length),
        url.searchParams,
        body,
        (status, payload) => {
          this.requests.push({ route, status, body });
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        },
      );
      return;
    }

    const gitMatch = url.pathname.match(/^\/(.+\.git)(\/.*)$/);
    if (gitMatch) {
      const auth = req.headers.authorization ?? '';
      const password = auth.startsWith('Basic ')
        ? Buffer.from(auth.slice(6), 'base64')
            .toString()
            .split(':')
            .slice(1)
            .join(':')
        : undefined;
      if (password !== this.#token) {
        this.requests.push({ route, status: 401 });
        res.writeHead(401, { 'www-authenticate': 'Basic realm="GitLab"' });
        res.end('HTTP Basic: Access denied\n');
        return;
      }
      const project = this.projects.get(gitMatch[1].replace(/\.git$/, ''));
      const pushing =
        gitMatch[2].endsWith('/git-receive-pack') ||
        url.searchParams.get('service') === 'git-receive-pack';
      if (project?.archived && pushing) {
        this.requests.push({ route, status: 403 });
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('You are not allowed to push code to an archived project.\n');
        return;
      }
      this.requests.push({ route, status: 200 });
      await this.#gitHttpBackend(req, res, url);
      return;
    }
    reply(404, { message: '404 Not Found' });
  }

  async #api(
    method: string,
    endpoint: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
    send: (status: number, payload: unknown) => void,
  ) {
    const [collection, rawId, sub, iid] = endpoint.split('/');
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    if (collection === 'projects' && id && sub === 'merge_requests' && iid) {
      const project = this.#byId(this.projects, id);
      const mergeRequest = this.mergeRequests.find(
        mr => mr.project_id === project?.id && mr.iid === Number(iid),
      );
      if (method === 'GET' && mergeRequest) {
        send(200, mergeRequest);
      } else {
        send(404, { message: '404 Not found' });
      }
      return;
    }
    if (collection === 'projects' && id && sub === 'merge_requests') {
      await this.#mergeRequests(method, id, query, body, send);
      return;
    }
    if (collection === 'groups') {
      if (method === 'GET' && id) {
        const group = this.#byId(this.groups, id);
        send(group ? 200 : 404, group ?? { message: '404 Group Not Found' });
        return;
      }
      if (method === 'POST' && !id) {
        const parent = [...this.groups.values()].find(
          g => g.id === body.parent_id,
        );
        if (!parent) {
          send(404, { message: '404 Group Not Found' });
          return;
        }
        const fullPath = `${parent.full_path}/${body.path}`;
        if (this.groups.has(fullPath) || this.projects.has(fullPath)) {
          send(400, {
            message: 'Failed to save group {:path=>["has already been taken"]}',
          });
          return;
        }
        const group = this.addGroup(fullPath);
        group.visibility = String(body.visibility ?? 'private');
        send(201, group);
        return;
      }
    }
    if (collection === 'projects' && id && sub === 'archive') {
      const project = this.#byId(this.projects, id);
      if (method !== 'POST' || !project) {
        send(404, { message: '404 Project Not Found' });
        return;
      }
      // GitLab answers 201 with the project, also for a project that was archived already.
      project.archived = true;
      send(201, project);
      return;
    }
    if (collection === 'projects') {
      if (method === 'GET' && id) {
        const project = this.#byId(this.projects, id);
        send(
          project ? 200 : 404,
          project ?? { message: '404 Project Not Found' },
        );
        return;
      }
      if (method === 'POST' && !id) {
        const namespace = [...this.groups.values()].find(
          g => g.id === body.namespace_id,
        );
        if (!namespace) {
          send(404, { message: '404 Namespace Not Found' });
          return;
        }
        const fullPath = `${namespace.full_path}/${body.path}`;
        if (this.projects.has(fullPath) || this.groups.has(fullPath)) {
          send(400, {
            message: {
              project_namespace: ['has already been taken'],
              name: ['has already been taken'],
              path: ['has already been taken'],
            },
          });
          return;
        }
        const project = await this.#createProject(
          namespace,
          String(body.path),
          body,
        );
        send(201, project);
        return;
      }
      if (method === 'PUT' && id) {
        const project = this.#byId(this.projects, id);
        if (!project) {
          send(404, { message: '404 Project Not Found' });
          return;
        }
        if (typeof body.default_branch === 'string') {
          project.default_branch = body.default_branch;
          await git(
            this.repositoryPath(project.path_with_namespace),
            'symbolic-ref',
            'HEAD',
            `refs/heads/${body.default_branch}`,
          );
        }
        if (typeof body.description === 'string') {
          project.description = body.description;
        }
        send(200, project);
        return;
      }
    }
    send(404, { message: '404 Not Found' });
  }

  async #mergeRequests(
    method: string,
    id: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
    send: (status: number, payload: unknown) => void,
  ) {
    const project = this.#byId(this.projects, id);
    if (!project) {
      send(404, { message: '404 Project Not Found' });
      return;
    }
    const ofProject = this.mergeRequests.filter(
      mr => mr.project_id === project.id,
    );
    if (method === 'GET') {
      const wanted = (field: 'source_branch' | 'target_branch') =>
        query.get(field) ?? undefined;
      send(
        200,
        ofProject.filter(
          mr =>
            (!wanted('source_branch') ||
              mr.source_branch === wanted('source_branch')) &&
            (!wanted('target_branch') ||
              mr.target_branch === wanted('target_branch')),
        ),
      );
      return;
    }
    if (method === 'POST') {
      const source = String(body.source_branch ?? '');
      const exists = await git(
        this.repositoryPath(project.path_with_namespace),
        'for-each-ref',
        `refs/heads/${source}`,
      );
      if (!exists) {
        send(400, { message: [`Source branch "${source}" does not exist`] });
        return;
      }
      const iid = ofProject.length + 1;
      const mergeRequest: FakeGitLabMergeRequest = {
        id: this.#nextId++,
        iid,
        project_id: project.id,
        title: String(body.title ?? ''),
        description: (body.description as string | undefined) ?? null,
        state: 'opened',
        source_branch: source,
        target_branch: String(body.target_branch ?? ''),
        remove_source_branch: Boolean(body.remove_source_branch),
        web_url: `${project.web_url}/-/merge_requests/${iid}`,
      };
      this.mergeRequests.push(mergeRequest);
      send(201, mergeRequest);
      return;
    }
    send(404, { message: '404 Not Found' });
  }

  async #createProject(
    namespace: FakeGitLabGroup,
    name: string,
    body: Record<string, unknown>,
  ) {
    const fullPath = `${namespace.full_path}/${name}`;
    const project: FakeGitLabProject = {
      id: this.#nextId++,
      archived: false,
      name: String(body.name ?? name),
      path: name,
      path_with_namespace: fullPath,
      name_with_namespace: fullPath.split('/').join(' / '),
      description: (body.description as string | undefined) ?? null,
      default_branch: null,
      topics: (body.topics as string[] | undefined) ?? [],
      visibility: String(body.visibility ?? 'private'),
      created_at: new Date().toISOString(),
      ssh_url_to_repo: `git@127.0.0.1:${fullPath}.git`,
      http_url_to_repo: `${this.url}/${fullPath}.git`,
      web_url: `${this.url}/${fullPath}`,
      empty_repo: true,
      namespace: {
        id: namespace.id,
        name: namespace.name,
        path: namespace.path,
        kind: 'group',
        full_path: namespace.full_path,
      },
    };
    await fs.mkdir(path.dirname(this.repositoryPath(fullPath)), {
      recursive: true,
    });
    await git(
      this.#root,
      'init',
      '--bare',
      '--quiet',
      this.repositoryPath(fullPath),
    );
    this.projects.set(fullPath, project);
    return project;
  }

  #byId<T extends { id: number }>(
    items: Map<string, T>,
    id: string,
  ): T | undefined {
    return /^\d+$/.test(id)
      ? [...items.values()].find(item => item.id === Number(id))
      : items.get(id);
  }

  /** Git's smart HTTP protocol through `git http-backend` (CGI). */
  #gitHttpBackend(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH,
          GIT_PROJECT_ROOT: this.#root,
          GIT_HTTP_EXPORT_ALL: '1',
          REMOTE_USER: 'oauth2',
          REMOTE_ADDR: '127.0.0.1',
          PATH_INFO: decodeURIComponent(url.pathname),
          REQUEST_METHOD: req.method ?? 'GET',
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          ...(req.headers['content-length']
            ? { CONTENT_LENGTH: req.headers['content-length'] }
            : {}),
          HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
          GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        },
      });
      req.pipe(child.stdin);
      let head = Buffer.alloc(0);
      let headersDone = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          return;
        }
        headersDone = true;
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, end).toString().split('\r\n')) {
          const colon = line.indexOf(':');
          const key = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (key.toLowerCase() === 'status') {
            status = parseInt(value, 10);
          } else {
            headers[key] = value;
          }
        }
        res.writeHead(status, headers);
        res.write(head.subarray(end + 4));
      });
      child.on('error', reject);
      child.on('close', () => {
        res.end();
        resolve();
      });
    });
  }
}

async function readJson(
  req: http.IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : {};
}
