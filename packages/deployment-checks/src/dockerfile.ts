import { DockerfileParser, ModifiableInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/**
 * One instruction of a Dockerfile: its keyword (upper case), its flags (`from=build`) and its
 * arguments as written.
 * @public
 */
export interface DockerInstruction {
  keyword: string;
  flags: string[];
  args: string;
  line: number;
}

/**
 * A build stage: the image it starts from (`ARG`s before the first `FROM` expanded), its name,
 * and its instructions after `FROM`.
 * @public
 */
export interface DockerStage {
  from: string;
  name?: string;
  instructions: DockerInstruction[];
}

/**
 * Parses a Dockerfile into its stages.
 * @public
 */
export function parseDockerfile(content: string): DockerStage[] {
  const dockerfile = DockerfileParser.parse(content);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property?.getName() && property.getValue() !== null) {
      args.set(property.getName(), property.getValue()!);
    }
  }
  const expand = (text: string) =>
    text.replace(/\$\{?(\w+)\}?/g, (all, name) => args.get(name) ?? all);
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const raw = instruction.getRawArgumentsContent() ?? '';
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const [image, as, name] = raw.trim().split(/\s+/);
      stages.push({
        from: expand(image),
        ...(as?.toUpperCase() === 'AS' ? { name } : {}),
        instructions: [],
      });
    } else if (stages.length > 0) {
      const flags =
        instruction instanceof ModifiableInstruction
          ? instruction.getFlags().map(f => `${f.getName()}=${f.getValue()}`)
          : [];
      stages[stages.length - 1].instructions.push({
        keyword,
        flags,
        args: raw,
        line,
      });
    }
  }
  return stages;
}

/**
 * Lints a Dockerfile with dockerfile-utils (the checks of the Docker language server): every
 * problem as `line N: message`, empty when there is none.
 * @public
 */
export function lintDockerfile(content: string): string[] {
  return validate(content).map(
    d => `line ${d.range.start.line + 1}: ${d.message}`,
  );
}
