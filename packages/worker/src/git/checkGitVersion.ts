import { git } from './runGit';

/** `--initial-branch` needs 2.28, credentials in `GIT_CONFIG_COUNT` 2.31. */
const MINIMUM = [2, 31] as const;

/**
 * Fails at startup, with a message that says what to install, when git is missing or too old —
 * rather than failing every run later.
 */
export async function checkGitVersion(): Promise<string> {
  let output: string;
  try {
    output = await git(['--version']);
  } catch (error) {
    throw new Error(
      `git is not installed or not on the PATH (${
        (error as Error).message
      }); install git ${MINIMUM.join('.')} or newer`,
    );
  }
  const [major, minor] = (output.match(/(\d+)\.(\d+)/) ?? [])
    .slice(1)
    .map(Number);
  if (!(major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]))) {
    throw new Error(
      `${output} is too old; the worker needs git ${MINIMUM.join(
        '.',
      )} or newer`,
    );
  }
  return output;
}
