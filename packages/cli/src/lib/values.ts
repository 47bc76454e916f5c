import type { JsonObject, JsonValue } from '@backstage/types';
import fs from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CliError, EXIT } from './errors';

/**
 * Reads `--values-file`: YAML or JSON holding a mapping of parameter names to values; `-` reads
 * standard input.
 */
export async function readValuesFile(
  file: string,
  stdin: () => Promise<string> = readStdin,
): Promise<JsonObject> {
  let text: string;
  try {
    text = file === '-' ? await stdin() : await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read the values file ${file}: ${(error as Error).message}`,
      EXIT.usage,
    );
  }
  let values: unknown;
  try {
    values = parseYaml(text);
  } catch (error) {
    throw new CliError(
      `the values file ${file} is not valid YAML or JSON: ${
        (error as Error).message
      }`,
      EXIT.usage,
    );
  }
  if (values === null || values === undefined) {
    return {};
  }
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw new CliError(
      `the values file ${file} must hold a mapping of parameter names to values, e.g. "port: 8080"`,
      EXIT.usage,
    );
  }
  return values as JsonObject;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The part of a JSON Schema `--set` looks at. */
interface SchemaNode {
  type?: string | string[];
  enum?: JsonValue[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/**
 * Applies `--set key=value` arguments on top of `values`. Each value takes the type the
 * blueprint's parameter schema gives its key (`port=8080` is a number, `nodeVersion=22` stays a
 * string when the parameter is a string); arrays and objects are JSON, or comma-separated for
 * arrays; nested keys use dots (`resources.cpu=100m`). A key the schema does not know is sent as
 * a string, and the control plane names it in its answer.
 */
export function applySetArguments(
  values: JsonObject,
  sets: string[],
  schema: JsonObject | undefined,
  blueprint: string,
): JsonObject {
  const result = structuredClone(values);
  for (const argument of sets) {
    const eq = argument.indexOf('=');
    if (eq <= 0) {
      throw new CliError(
        `--set ${argument}: expected key=value, e.g. --set port=8080`,
        EXIT.usage,
      );
    }
    const key = argument.slice(0, eq);
    const raw = argument.slice(eq + 1);
    const path = key.split('.');
    if (path.some(part => part === '')) {
      throw new CliError(
        `--set ${argument}: '${key}' is not a parameter name; nested names are joined by single dots, e.g. resources.cpu`,
        EXIT.usage,
      );
    }
    const node = schemaAt(schema as SchemaNode | undefined, path);
    const value = coerce(raw, node);
    if (value === undefined) {
      throw new CliError(
        `--set ${argument}: ${blueprint} expects ${expectation(node)} there`,
        EXIT.usage,
      );
    }
    let target: JsonObject = result;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        target[part] = {};
      }
      target = target[part] as JsonObject;
    }
    target[path[path.length - 1]] = value;
  }
  return result;
}

function schemaAt(
  schema: SchemaNode | undefined,
  path: string[],
): SchemaNode | undefined {
  let node = schema;
  for (const part of path) {
    node = node?.properties?.[part];
  }
  return node;
}

function typeOf(node: SchemaNode | undefined): string | undefined {
  if (!node) {
    return undefined;
  }
  if (Array.isArray(node.type)) {
    return node.type.find(t => t !== 'null');
  }
  if (node.type) {
    return node.type;
  }
  if (node.enum?.length) {
    return typeof node.enum[0] === 'number' ? 'number' : 'string';
  }
  return undefined;
}

/** What a value of this schema must look like on the command line, for error messages. */
function expectation(node: SchemaNode | undefined): string {
  switch (typeOf(node)) {
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return `a JSON array, or items separated by commas (each ${expectation(
        node?.items,
      )})`;
    case 'object':
      return 'a JSON object, e.g. {"cpu":"100m"}';
    default:
      return 'text';
  }
}

/** `raw` as the schema's type, or undefined when it is not one. */
function coerce(
  raw: string,
  node: SchemaNode | undefined,
): JsonValue | undefined {
  switch (typeOf(node)) {
    case 'integer':
    case 'number': {
      const number = Number(raw);
      return raw.trim() === '' || !Number.isFinite(number) ? undefined : number;
    }
    case 'boolean':
      return raw === 'true' || raw === 'false' ? raw === 'true' : undefined;
    case 'array': {
      if (raw.trim().startsWith('[')) {
        return parseJsonOf(raw, 'array');
      }
      if (raw === '') {
        return [];
      }
      const items = raw
        .split(',')
        .map(item => coerce(item.trim(), node?.items));
      return items.includes(undefined) ? undefined : (items as JsonValue[]);
    }
    case 'object':
      return parseJsonOf(raw, 'object');
    case 'null':
      return null;
    default:
      return raw;
  }
}

/** `raw` as JSON of the given shape, or undefined. */
function parseJsonOf(
  raw: string,
  shape: 'array' | 'object',
): JsonValue | undefined {
  try {
    const value = JSON.parse(raw) as JsonValue;
    const isArray = Array.isArray(value);
    const isObject = typeof value === 'object' && value !== null && !isArray;
    return (shape === 'array' ? isArray : isObject) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits `name@version` into the blueprint name and the version (absent: the latest one).
 */
export function parseBlueprintRef(ref: string): {
  name: string;
  version?: string;
} {
  const at = ref.lastIndexOf('@');
  if (at < 0) {
    return { name: ref };
  }
  const name = ref.slice(0, at);
  const version = ref.slice(at + 1);
  if (!name || !version) {
    throw new CliError(
      `'${ref}' is not a blueprint: give a name, or name@version such as node-backend@1.1.0`,
      EXIT.usage,
    );
  }
  return { name, version };
}
