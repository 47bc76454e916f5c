import { formatBlueprintRef } from '@provisionhub/plugin-provisionhub-common';
import {
  computeBlueprintDigest,
  readBlueprintFiles,
} from '@provisionhub/plugin-provisionhub-node';
import {
  PermanentError,
  TransientError,
  isRetryable,
  messageOf,
} from '../errors';
import type { StepFunction } from './types';

/**
 * Step `fetch-blueprint`: reads the pinned blueprint's files from where the job says they are
 * (a local folder or a URL the Backstage URL readers understand) and refuses them when their
 * digest is not the one the run pinned. Files are cached by digest.
 */
export const fetchBlueprint: StepFunction = async (job, helpers) => {
  const { blueprints, urlReader, logger, state } = helpers;
  const ref = formatBlueprintRef(job.blueprint);
  const pinned = job.blueprint.digest;
  const cached = blueprints.get(pinned);
  if (cached) {
    state.files = cached;
    return {
      status: 'succeeded',
      detail: `${cached.length} files of ${ref} from the cache`,
    };
  }

  let files;
  try {
    files = await readBlueprintFiles(job.blueprint.files, { urlReader });
  } catch (error) {
    const local = job.blueprint.files.every(f =>
      f.location.startsWith('file:'),
    );
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
  state.files = files;
  logger.info(`Read ${files.length} files of blueprint ${ref} (${pinned})`);
  return { status: 'succeeded', detail: `${files.length} files of ${ref}` };
};
