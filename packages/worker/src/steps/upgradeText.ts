import {
  JobMessage,
  JobUpgrade,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import { runTrailer } from '../git/commits';

const CONFLICT_TRAILER = 'ProvisionHub-Conflict: ';

/** A path on one line: quoted as JSON when it holds anything that could break the line. */
function onOneLine(file: string): string {
  const unsafe = [...file].some(
    ch => ch < ' ' || ch === '\u007f' || ch === '"' || ch === '\\',
  );
  return unsafe ? JSON.stringify(file) : file;
}

function fromOneLine(text: string): string {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : `\`${JSON.stringify(value)}\``;
}

/** What an upgrade does, in one line: `Upgrade component:default/x to node-backend@1.1.0`. */
export function upgradeTitle(job: JobMessage): string {
  const upgrade = job.upgrade!;
  return upgrade.from.version === job.blueprint.version
    ? `Change values of ${job.run.entityRef} (${formatBlueprintRef(
        job.blueprint,
      )})`
    : `Upgrade ${job.run.entityRef} to ${formatBlueprintRef(job.blueprint)}`;
}

function changedValueLines(upgrade: JobUpgrade): string[] {
  return upgrade.changedValues.length
    ? upgrade.changedValues.map(
        c => `- \`${c.key}\`: ${show(c.from)} → ${show(c.to)}`,
      )
    : ['None.'];
}

/**
 * The message of the upgrade commit. Conflicted files are named in trailers, so a later delivery
 * that finds the commit on the branch knows them without merging again.
 */
export function upgradeCommitMessage(
  job: JobMessage,
  conflicts: string[],
): string {
  const upgrade = job.upgrade!;
  return [
    upgradeTitle(job),
    '',
    `From ${formatBlueprintRef(upgrade.from)}, requested by ${
      job.requestedBy
    }.`,
    '',
    'Changed values:',
    ...changedValueLines(upgrade),
    ...(conflicts.length
      ? [
          '',
          'Committed with conflict markers; resolve them before merging:',
          ...conflicts.map(file => `- ${onOneLine(file)}`),
        ]
      : []),
    '',
    runTrailer(job.runId),
    ...conflicts.map(file => `${CONFLICT_TRAILER}${onOneLine(file)}`),
  ].join('\n');
}

/** The conflicted files an upgrade commit names (see {@link upgradeCommitMessage}). */
export function conflictsOf(message: string): string[] {
  return message
    .split('\n')
    .filter(line => line.startsWith(CONFLICT_TRAILER))
    .map(line => fromOneLine(line.slice(CONFLICT_TRAILER.length)));
}

/** The merge request's description (Markdown): changelog, changed values, conflicted files. */
export function mergeRequestDescription(
  job: JobMessage,
  conflicts: string[],
): string {
  const upgrade = job.upgrade!;
  const changelog = upgrade.changelog.length
    ? upgrade.changelog.flatMap(entry => [
        `### ${entry.version}`,
        '',
        entry.changes.trim() || '_No changelog for this version._',
        '',
      ])
    : ['_No version change._', ''];
  return [
    `ProvisionHub proposes ${formatBlueprintRef(job.blueprint)} for ${
      job.run.entityRef
    }, which runs ${formatBlueprintRef(upgrade.from)}. Requested by ${
      job.requestedBy
    } (run ${job.runId}).`,
    '',
    '## Changelog',
    '',
    ...changelog,
    '## Changed values',
    '',
    ...changedValueLines(upgrade),
    '',
    '## Conflicts',
    '',
    ...(conflicts.length
      ? [
          'These files were changed in the repository and by the blueprint; they are committed with conflict markers. Resolve them on this branch before merging:',
          '',
          ...conflicts.map(file => `- \`${onOneLine(file)}\``),
        ]
      : ['None: every change merged cleanly.']),
  ].join('\n');
}
