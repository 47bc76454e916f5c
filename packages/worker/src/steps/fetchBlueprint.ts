import {
  ResolvedFileSource,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import {
  BlueprintFile,
  computeBlueprintDigest,
  readBlueprintFiles,
} from '@provisionhub/plugin-provisionhub-node';
import {
  PermanentError,
  TransientError,
  isRetryable,
  messageOf,
} from '../errors';
import type { StepFunction, StepHelpers } from './types';

/**
 * Step `fetch-blueprint`: reads the pinned blueprint's files from where the job says they are
 * (a local folder or a URL the Backstage URL readers understand) and refuses them when their
 * digest is not the one the run pinned. Files are cached by digest. An upgrade job also reads
 * the version the component runs now.
 */
export const fetchBlueprint: StepFunction = async (job, helpers) => {
  const target = await fetchPinned(job.blueprint, helpers);
  helpers.state.files = target.files;
  if (!job.upgrade) {
    return { status: 'succeeded', detail: target.detail };
  }
  const base = await fetchPinned(job.upgrade.from, helpers);
  helpers.state.baseFiles = base.files;
  return { status: 'succeeded', detail: `${base.detail}; ${target.detail}` };
};

async function fetchPinned(
  blueprint: {
    name: string;
    version: string;
    digest: string;
    files: ResolvedFileSource[];
  },
  { blueprints, urlReader, logger }: StepHelpers,
): Promise<{ files: BlueprintFile[]; detail: string }> {
  const ref = formatBlueprintRef(blueprint);
  const pinned = blueprint.digest;
  const cached = blueprints.get(pinned);
  if (cached) {
    return {
      files: cached,
      detail: `${cached.length} files of ${ref} from the cache`,
    };
  }

  let files;
  try {
    files = await readBlueprintFiles(blueprint.files, { urlReader });
  } catch (error) {
    const local = blueprint.files.every(f => f.location.startsWith('file:'));
    const message = `cannot read the files of blueprint ${ref}: ${messageOf(
      error,
    )}`;
    // A local folder that is missing or invalid stays that way; a URL may answer next time.
    throw !local && isRetryable(error)
      ? new TransientError(message)
      : new PermanentError(message);
  }
  const actual = computeBlueprintDigest(files);
  if (actual !== pinned) {
    throw new PermanentError(
      `blueprint ${ref} changed after the run was requested: its files have digest ${actual}, the run pinned ${pinned}. A published version must not change; publish a new version and request the run again`,
    );
  }
  blueprints.set(pinned, files);
  logger.info(`Read ${files.length} files of blueprint ${ref} (${pinned})`);
  return { files, detail: `${files.length} files of ${ref}` };
}
