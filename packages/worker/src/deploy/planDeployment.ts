import {
  DeployEnvironment,
  JobDeployment,
  JobMessage,
  gitopsLayout,
} from '@provisionhub/plugin-provisionhub-common';
import type { RenderedFile } from '@provisionhub/plugin-provisionhub-node';
import { PermanentError } from '../errors';
import { appProjectManifest, applicationManifest } from './argocdManifests';
import { patchOverlayKustomization } from './patchOverlay';

/** What one run writes to the GitOps repository, as one commit. */
export interface DeploymentPlan {
  /** Folders replaced as a whole. */
  replace: string[];
  files: RenderedFile[];
  /** The environments whose overlay the commit writes, with the overlay's folder. */
  written: Array<{ environment: DeployEnvironment; path: string }>;
  /** Folders written only where the branch has none yet (see `SharedChange.ifMissing`). */
  ifMissing: Array<{ folder: string; files: RenderedFile[] }>;
}

export interface DeploymentSource {
  job: JobMessage;
  deploy: JobDeployment;
  rendered: readonly RenderedFile[];
  /** Folder of the rendered repository that holds the deployment. */
  from: string;
  /** Components: the image name the overlays' `images` entry sets the tag of. */
  image?: string;
  /** Components: the image tag to deploy. */
  version?: string;
  /** The GitOps repository as Argo CD clones it. */
  repoURL: string;
}

/**
 * The files of a run's GitOps commit (layout: `gitopsLayout`):
 * - a component's first run: `base/`, the overlay of every `automatic` environment (the others
 *   receive a version by promotion), and one Argo CD Application per environment;
 * - a promotion: the target environment's overlay, nothing else (plus `base/` and the
 *   Applications when the branch has none yet: a component upgraded to a blueprint version
 *   with a `deploy` step was never deployed by its first run);
 * - a system: every environment's folder (namespace, quota, policies; its kustomization's
 *   namespace set to the environment's), its Applications, and the system's AppProject.
 */
export function planDeployment(source: DeploymentSource): DeploymentPlan {
  const { job, deploy } = source;
  if (job.run.kind === 'system') {
    return planSystem(source);
  }
  const overlays = deploy.promote
    ? [environmentNamed(deploy, deploy.promote.to)]
    : deploy.environments.filter(e => e.automatic);
  const plan = emptyPlan();
  const first = deploy.promote ? emptyPlan() : plan;
  addFolder(first, source, `${source.from}/base`, `${deploy.path}/base`);
  addApplications(first, source, {
    'provisionhub.io/component': job.run.name,
  });
  if (first !== plan) {
    plan.ifMissing = first.replace.map(folder => ({
      folder,
      files: first.files.filter(f => f.path.startsWith(`${folder}/`)),
    }));
  }
  for (const environment of overlays) {
    const path = gitopsLayout.overlayPath(deploy.path, environment.name);
    addFolder(
      plan,
      source,
      `${source.from}/overlays/${environment.name}`,
      path,
      content =>
        patchOverlayKustomization(content, `${path}/kustomization.yaml`, {
          namespace: environment.namespace,
          image: source.image,
          version: source.version,
        }),
    );
    plan.written.push({ environment, path });
  }
  return plan;
}

function emptyPlan(): DeploymentPlan {
  return { replace: [], files: [], written: [], ifMissing: [] };
}

function planSystem(source: DeploymentSource): DeploymentPlan {
  const { job, deploy } = source;
  const plan = emptyPlan();
  for (const environment of deploy.environments) {
    const path = gitopsLayout.overlayPath(deploy.path, environment.name);
    // kustomize's namespace also renames the Namespace object the folder creates.
    addFolder(
      plan,
      source,
      `${source.from}/${environment.name}`,
      path,
      content =>
        patchOverlayKustomization(content, `${path}/kustomization.yaml`, {
          namespace: environment.namespace,
        }),
    );
    plan.written.push({ environment, path });
  }
  addApplications(plan, source, {});
  const appProject = `${deploy.path}/appproject.yaml`;
  plan.replace.push(appProject);
  plan.files.push(
    textFile(
      appProject,
      appProjectManifest({
        name: job.run.name,
        description: `Applications of system ${job.run.name}, written by ProvisionHub`,
        repoURL: source.repoURL,
        argocdNamespace: deploy.argocdNamespace,
        environments: deploy.environments,
      }),
    ),
  );
  return plan;
}

function addApplications(
  plan: DeploymentPlan,
  { job, deploy, repoURL }: DeploymentSource,
  labels: Record<string, string>,
) {
  const name =
    job.run.kind === 'system' ? `${job.run.name}-system` : job.run.name;
  plan.replace.push(`${deploy.path}/argocd`);
  for (const environment of deploy.environments) {
    plan.files.push(
      textFile(
        gitopsLayout.applicationPath(deploy.path, environment.name),
        applicationManifest({
          name: gitopsLayout.applicationName(name, environment.name),
          labels: {
            'app.kubernetes.io/part-of': job.run.system ?? job.run.name,
            ...labels,
          },
          repoURL,
          targetRevision: deploy.branch,
          path: gitopsLayout.overlayPath(deploy.path, environment.name),
          argocdNamespace: deploy.argocdNamespace,
          environment,
        }),
      ),
    );
  }
}

/** Copies a rendered folder to `target`, which it replaces; `patch` rewrites its kustomization. */
function addFolder(
  plan: DeploymentPlan,
  source: DeploymentSource,
  folder: string,
  target: string,
  patch?: (content: string) => string,
) {
  const files = source.rendered.filter(f => f.path.startsWith(`${folder}/`));
  if (files.length === 0) {
    throw new PermanentError(
      `the blueprint renders nothing under '${folder}/', which the GitOps deployment needs (every environment of provisionhub.environments needs its folder); add it to the blueprint or set the deploy step's input.from`,
    );
  }
  plan.replace.push(target);
  for (const file of files) {
    const path = `${target}/${file.path.slice(folder.length + 1)}`;
    const kustomization = file.path === `${folder}/kustomization.yaml`;
    plan.files.push(
      kustomization && patch
        ? textFile(path, patch(file.content.toString('utf8')))
        : { ...file, path },
    );
  }
}

function environmentNamed(
  deploy: JobDeployment,
  name: string,
): DeployEnvironment {
  const environment = deploy.environments.find(e => e.name === name);
  if (!environment) {
    throw new PermanentError(
      `the job promotes to environment '${name}', which is not among its environments (${deploy.environments
        .map(e => e.name)
        .join(', ')})`,
    );
  }
  return environment;
}

/** A file ProvisionHub writes itself, not rendered from the blueprint. */
function textFile(path: string, text: string): RenderedFile {
  return {
    path,
    sourcePath: '(provisionhub)',
    content: Buffer.from(text, 'utf8'),
    executable: false,
    binary: false,
  };
}
