import type { JsonObject } from '@backstage/types';
import {
  CREATE_RUN_KINDS,
  CreateRunKind,
  RunRequest,
} from '@provisionhub/plugin-provisionhub-common';
import { Command, Option } from 'commander';
import type { CommandContext } from './context';
import { applySetArguments, parseBlueprintRef, readValuesFile } from './values';

/** The options of a command that describes a request (`runs create`, `policy evaluate`). */
export interface RunRequestOptions {
  kind: CreateRunKind;
  name: string;
  owner: string;
  system?: string;
  blueprint: string;
  environment?: string;
  set?: string[];
  valuesFile?: string;
}

/** Commander's accumulator of a repeatable option. */
export function collect(value: string, previous: string[] | undefined) {
  return [...(previous ?? []), value];
}

/** Adds the options of a run request to `command`. */
export function withRunRequestOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--kind <kind>', 'what to create')
        .choices([...CREATE_RUN_KINDS])
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--name <name>',
      'name of the system or component (lowercase letters, digits, hyphens)',
    )
    .requiredOption(
      '--owner <ref>',
      'owning group or user, e.g. group:default/payments-team (a bare name is a group)',
    )
    .option('--system <name>', 'the system a component belongs to')
    .requiredOption(
      '--blueprint <name[@version]>',
      'blueprint, e.g. node-backend or node-backend@1.1.0 (default: its latest version)',
    )
    .option(
      '--environment <name>',
      'the environment the request is for, e.g. production (policy rules may match on it)',
    )
    .option(
      '--set <key=value>',
      "a blueprint parameter, typed by the blueprint's schema; repeat for more; nested: a.b=1",
      collect,
    )
    .option(
      '--values-file <file>',
      'YAML or JSON file with parameter values (- reads standard input); --set wins over it',
    );
}

/**
 * The request the options describe. The blueprint's parameter schema is fetched only when
 * `--set` needs it to type the values.
 */
export async function buildRunRequest(
  ctx: CommandContext,
  options: RunRequestOptions,
): Promise<RunRequest> {
  const blueprint = parseBlueprintRef(options.blueprint);
  let values: JsonObject = options.valuesFile
    ? await readValuesFile(options.valuesFile)
    : {};
  const sets = options.set ?? [];
  if (sets.length > 0) {
    const parameters = await ctx.call(async api => {
      if (blueprint.version) {
        return (
          await api.getBlueprintVersion(blueprint.name, blueprint.version)
        ).parameters;
      }
      const details = await api.getBlueprint(blueprint.name);
      return details.versions.find(v => v.version === details.latestVersion)
        ?.parameters;
    });
    values = applySetArguments(
      values,
      sets,
      parameters,
      `${blueprint.name}${blueprint.version ? `@${blueprint.version}` : ''}`,
    );
  }
  return {
    kind: options.kind,
    name: options.name,
    owner: options.owner,
    ...(options.system !== undefined ? { system: options.system } : {}),
    blueprint: blueprint.name,
    ...(blueprint.version ? { version: blueprint.version } : {}),
    ...(options.environment !== undefined
      ? { environment: options.environment }
      : {}),
    values,
  };
}
