import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { parseAllDocuments } from 'yaml';
import { PermanentError } from '../errors';
import type { StepFunction } from './types';

/**
 * Step `report`: the run's outputs — repository URL, default branch, entity ref, and the catalog
 * entity the repository describes itself with (`job.blueprint.catalogInfoPath`); for an upgrade,
 * the branch and merge request too.
 */
export const report: StepFunction = async (job, { state, git, logger }) => {
  const file = job.blueprint.catalogInfoPath;
  const rendered = state.rendered!.find(f => f.path === file);
  if (!rendered) {
    throw new PermanentError(
      `the blueprint renders no ${file}, the catalog descriptor the run reports; add it to the blueprint or set spec.outputs.catalogInfoPath`,
    );
  }
  const entity = readCatalogEntity(
    rendered.content.toString('utf8'),
    file,
    job.run.entityRef,
  );
  const { upgrade } = state;
  state.outputs = {
    repoUrl: state.repository!.webUrl,
    defaultBranch: git.defaultBranch,
    entityRef: job.run.entityRef,
    entity,
    ...(upgrade?.changed ? { branch: job.upgrade!.branch } : {}),
    ...(upgrade?.mergeRequestUrl
      ? { mergeRequestUrl: upgrade.mergeRequestUrl }
      : {}),
    ...(state.deployments ? { deployments: state.deployments } : {}),
  };
  const where = upgrade?.changed
    ? `branch ${job.upgrade!.branch} of ${state.repository!.webUrl}`
    : state.repository!.webUrl;
  const detail = `${job.run.entityRef} at ${where}`;
  logger.info(`${job.upgrade ? 'Upgrade of' : 'Provisioned'} ${detail}`);
  return { status: 'succeeded', detail };
};

/**
 * Step `report` of promote runs: the GitOps repository and what was written to it.
 */
export const reportPromotion: StepFunction = async (job, { state, logger }) => {
  const deployment = job.deploy!;
  state.outputs = {
    repoUrl: state.gitopsUrl!,
    defaultBranch: deployment.branch,
    entityRef: job.run.entityRef,
    deployments: state.deployments ?? [],
  };
  const [written] = state.deployments ?? [];
  const detail = `${job.run.entityRef}: ${deployment.promote!.to} ${
    written?.state ?? 'unchanged'
  } at ${deployment.promote!.version}`;
  logger.info(`Promotion of ${detail}`);
  return { status: 'succeeded', detail };
};

/**
 * The document of a catalog descriptor that describes `entityRef`. The file may hold several
 * entities (e.g. a Component and its API); the one of the run must be among them.
 */
export function readCatalogEntity(
  text: string,
  file: string,
  entityRef: string,
): JsonObject {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) {
    throw new PermanentError(`${file} is empty; it must describe ${entityRef}`);
  }
  const entities: JsonObject[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      throw new PermanentError(
        `${file} is not valid YAML: ${error.message.split('\n')[0]}`,
      );
    }
    const value = document.toJS();
    if (value === null || value === undefined) {
      continue;
    }
    const problem = entityProblem(value);
    if (problem) {
      throw new PermanentError(`${file} is not a catalog entity: ${problem}`);
    }
    entities.push(value);
  }
  const wanted = stringifyEntityRef(
    parseEntityRef(entityRef),
  ).toLocaleLowerCase('en-US');
  const refs = entities.map(e => refOf(e));
  const index = refs.indexOf(wanted);
  if (index < 0) {
    throw new PermanentError(
      `${file} describes ${
        refs.length ? refs.join(', ') : 'no entity'
      }, but the run creates ${entityRef}; the blueprint must name the entity after the run (metadata.name: \${{ name }})`,
    );
  }
  return entities[index];
}

function entityProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || Array.isArray(value)) {
    return 'a document is not a mapping';
  }
  const entity = value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
  };
  if (typeof entity.apiVersion !== 'string') {
    return 'apiVersion is missing';
  }
  if (typeof entity.kind !== 'string') {
    return 'kind is missing';
  }
  if (typeof entity.metadata?.name !== 'string') {
    return 'metadata.name is missing';
  }
  return undefined;
}

function refOf(entity: JsonObject): string {
  const metadata = entity.metadata as { name: string; namespace?: string };
  return stringifyEntityRef({
    kind: entity.kind as string,
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
  }).toLocaleLowerCase('en-US');
}
