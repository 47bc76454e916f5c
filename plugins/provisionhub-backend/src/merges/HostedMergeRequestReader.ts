import { ScmIntegrations } from '@backstage/integration';
import type { Config } from '@backstage/config';
import type { RunOutputs } from '@provisionhub/plugin-provisionhub-common';
import type { MergeStatus, MergeStatusReader } from './MergeStatusReader';

/**
 * Merge requests on GitLab (`GET /projects/:id/merge_requests/:iid`, `state`) and pull requests
 * on GitHub (`GET /repos/{owner}/{repo}/pulls/{number}`, `merged`), read with the token of the
 * `integrations:` entry for the merge request's host — the entry the worker used to open it.
 * Which one is known from the URL's shape: `/-/merge_requests/<iid>` or `/pull/<number>`.
 * @internal
 */
export class HostedMergeRequestReader implements MergeStatusReader {
  readonly #integrations: ScmIntegrations;

  static fromConfig(config: Config): HostedMergeRequestReader {
    return new HostedMergeRequestReader(ScmIntegrations.fromConfig(config));
  }

  constructor(integrations: ScmIntegrations) {
    this.#integrations = integrations;
  }

  /** Whether the outputs name a merge request this reader knows how to read. */
  handles(outputs: RunOutputs): boolean {
    return Boolean(
      outputs.mergeRequestUrl &&
        (gitLabMergeRequest(outputs.mergeRequestUrl) ||
          gitHubPullRequest(outputs.mergeRequestUrl)),
    );
  }

  async read(outputs: RunOutputs): Promise<MergeStatus> {
    const url = outputs.mergeRequestUrl ?? '';
    const gitlab = gitLabMergeRequest(url);
    if (gitlab) {
      return this.#readGitLab(url, gitlab);
    }
    const github = gitHubPullRequest(url);
    if (github) {
      return this.#readGitHub(url, github);
    }
    throw new Error(
      `${url} is neither a GitLab merge request (…/-/merge_requests/<iid>) nor a GitHub pull request (…/pull/<number>)`,
    );
  }

  async #readGitLab(
    url: string,
    mr: { path: string; iid: string },
  ): Promise<MergeStatus> {
    const host = new URL(url).host;
    const integration = this.#integrations.gitlab.byHost(host);
    if (!integration) {
      throw new Error(
        `integrations.gitlab has no entry for host '${host}'; add the one the worker uses so the control plane can read ${url}`,
      );
    }
    const { baseUrl, apiBaseUrl, token } = integration.config;
    // A GitLab served under a path (https://host/gitlab) has that path before the project's.
    const prefix = new URL(baseUrl).pathname.replace(/\/$/, '');
    const project = mr.path.startsWith(`${prefix}/`)
      ? mr.path.slice(prefix.length + 1)
      : mr.path;
    const body = await getJson(
      `${apiBaseUrl}/projects/${encodeURIComponent(project)}/merge_requests/${
        mr.iid
      }`,
      token ? { 'PRIVATE-TOKEN': token } : {},
      `merge request ${url}`,
      `integrations.gitlab token for host ${host}`,
    );
    const state = String(body.state);
    if (state === 'merged') {
      return { state: 'merged', detail: `${url} was merged` };
    }
    if (state === 'closed') {
      return { state: 'closed', detail: `${url} was closed without merging` };
    }
    return { state: 'open', detail: `${url} is ${state}` };
  }

  async #readGitHub(
    url: string,
    pr: { owner: string; repo: string; number: string },
  ): Promise<MergeStatus> {
    const host = new URL(url).host;
    const integration = this.#integrations.github.byHost(host);
    if (!integration) {
      throw new Error(
        `integrations.github has no entry for host '${host}'; add the one the worker uses so the control plane can read ${url}`,
      );
    }
    const { apiBaseUrl, token } = integration.config;
    const body = await getJson(
      `${apiBaseUrl ?? 'https://api.github.com'}/repos/${pr.owner}/${
        pr.repo
      }/pulls/${pr.number}`,
      {
        Accept: 'application/vnd.github+json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      `pull request ${url}`,
      `integrations.github token for host ${host}`,
    );
    if (body.merged === true) {
      return { state: 'merged', detail: `${url} was merged` };
    }
    if (body.state === 'closed') {
      return { state: 'closed', detail: `${url} was closed without merging` };
    }
    return { state: 'open', detail: `${url} is open` };
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

function gitLabMergeRequest(url: string) {
  const match = pathOf(url).match(/^\/(.+?)\/-\/merge_requests\/(\d+)\/?$/);
  return match ? { path: match[1], iid: match[2] } : undefined;
}

function gitHubPullRequest(url: string) {
  const match = pathOf(url).match(/^\/([^/]+)\/([^/]+)\/pull\/(\d+)\/?$/);
  return match
    ? { owner: match[1], repo: match[2], number: match[3] }
    : undefined;
}

async function getJson(
  url: string,
  headers: Record<string, string>,
  what: string,
  credential: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, { headers });
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `${new URL(url).host} refused to show ${what} (${response.status} ${
        response.statusText
      }); check the ${credential}`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `${new URL(url).host} answered ${response.status} ${
        response.statusText
      } for ${what}`,
    );
  }
  return (await response.json()) as Record<string, unknown>;
}
