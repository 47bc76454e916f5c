import type { Command } from 'commander';
import type { CommandEnv } from '../lib/command';
import { registerBlueprintsCommands } from './blueprints';
import { registerComponentsCommands } from './components';
import { registerLoginCommands } from './login';
import { registerPolicyCommands } from './policy';
import { registerRunsCommands } from './runs';

/**
 * Every command group, in the order `--help` lists them. A group is one file that adds its
 * subcommands to the program and builds on the shared helpers in `../lib` (connection, output,
 * run requests, following a run). `components` holds the day-2 commands the control plane's API
 * has (`upgrade`, `decommission`; `promote` joins it with its endpoint).
 */
export const COMMAND_GROUPS: Array<
  (program: Command, env: CommandEnv) => void
> = [
  registerLoginCommands,
  registerBlueprintsCommands,
  registerRunsCommands,
  registerComponentsCommands,
  registerPolicyCommands,
];
