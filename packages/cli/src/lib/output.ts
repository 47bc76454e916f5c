import chalk, { Chalk } from 'chalk';

/** Where a command writes: standard output and error, and whether people or programs read it. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * What a command prints. With `--json` the result goes to standard output as one JSON document
 * (or one per line for streams) and everything meant for people goes to standard error, so
 * `provisionhub … --json | jq` always gets JSON.
 */
export class Output {
  readonly json: boolean;
  readonly style: Chalk;
  readonly #io: Io;

  constructor(io: Io, options: { json: boolean; color?: boolean }) {
    this.#io = io;
    this.json = options.json;
    const colored =
      options.color !== false &&
      !io.env.NO_COLOR &&
      (Boolean(io.env.FORCE_COLOR) || Boolean(io.stdout.isTTY));
    this.style = new chalk.Instance({ level: colored ? 1 : 0 });
  }

  /** A line for people: standard output, or standard error with `--json`. */
  info(line = '') {
    (this.json ? this.#io.stderr : this.#io.stdout).write(`${line}\n`);
  }

  /** A line about something that went wrong, always on standard error. */
  error(line: string) {
    this.#io.stderr.write(`${line}\n`);
  }

  /** The result as one JSON document (with `--json`). */
  result(value: unknown) {
    this.#io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON document on a line of its own, for streams (`runs logs --json`). */
  jsonLine(value: unknown) {
    this.#io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Rows as aligned columns under a header, like `kubectl get`. */
  table(header: string[], rows: string[][]) {
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
    );
    const line = (cells: string[]) =>
      cells
        .map((cell, i) =>
          i === cells.length - 1 ? cell : cell.padEnd(widths[i]),
        )
        .join('  ')
        .trimEnd();
    this.info(this.style.bold(line(header)));
    for (const row of rows) {
      this.info(line(row));
    }
  }

  /** Label and value pairs, the labels aligned. */
  fields(pairs: Array<[string, string | undefined]>) {
    const shown = pairs.filter(([, value]) => value !== undefined) as Array<
      [string, string]
    >;
    const width = Math.max(...shown.map(([label]) => label.length));
    for (const [label, value] of shown) {
      this.info(`${this.style.dim(label.padEnd(width))}  ${value}`);
    }
  }
}
