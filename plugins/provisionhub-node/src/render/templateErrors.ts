import { BlueprintRenderError } from './BlueprintRenderError';

const NUNJUCKS_MESSAGE =
  /^\((?:[^)\n]*)\)(?: \[Line (\d+), Column (\d+)\])?\s*\n\s*([\s\S]*)$/;
const UNDEFINED_OUTPUT = 'attempted to output null or undefined value';

/**
 * Turns nunjucks' error ("attempted to output null or undefined value") into one that names the
 * variable, the file and the line: `catalog-info.yaml line 4: 'values.prot' is not defined`.
 */
export function toRenderError(
  error: unknown,
  where: { label: string; source: string; context: object; sourcePath: string },
): BlueprintRenderError {
  const raw = error instanceof Error ? error.message : String(error);
  const match = raw.match(NUNJUCKS_MESSAGE);
  const line = match?.[1] ? Number(match[1]) : undefined;
  const column = match?.[2] ? Number(match[2]) : undefined;
  let detail = (match?.[3] ?? raw).replace(/^Error: /, '').trim();
  if (
    detail === UNDEFINED_OUTPUT &&
    line !== undefined &&
    column !== undefined
  ) {
    const expression = expressionAt(where.source, line, column);
    detail = expression
      ? `'${firstUndefined(expression, where.context)}' is not defined`
      : 'a variable is not defined';
    detail +=
      '; pass it in the values or give it a default in the blueprint parameters';
  }
  const at = line !== undefined ? `${where.label} line ${line}` : where.label;
  return new BlueprintRenderError(`${at}: ${detail}`, where.sourcePath, line);
}

/** The text inside the `${{ … }}` that starts at the 1-based line and column nunjucks reports. */
function expressionAt(
  source: string,
  line: number,
  column: number,
): string | undefined {
  const text = source.split('\n')[line - 1];
  if (text === undefined) {
    return undefined;
  }
  const start = text.indexOf('${{', column - 1);
  const end = start < 0 ? -1 : text.indexOf('}}', start + 3);
  return end < 0 ? undefined : text.slice(start + 3, end).trim();
}

/**
 * For a plain path like `values.db.port`, the shortest prefix that is undefined in the context
 * (`values.db` when `db` is missing); any other expression is returned as written.
 */
function firstUndefined(expression: string, context: object): string {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(expression)) {
    return expression;
  }
  const parts = expression.split('.');
  let value: unknown = context;
  for (let i = 0; i < parts.length; i++) {
    if (value === null || typeof value !== 'object' || !(parts[i] in value)) {
      return i === 0 ? expression : parts.slice(0, i + 1).join('.');
    }
    value = (value as Record<string, unknown>)[parts[i]];
    if (value === undefined || value === null) {
      return parts.slice(0, i + 1).join('.');
    }
  }
  return expression;
}
