import type { JsonObject, JsonValue } from '@backstage/types';

const OPERATORS = ['==', '!=', '>=', '<=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * One comparison on a request's values, parsed from config text such as
 * `values.storageGb > 100` or `values.tier == "gold"`.
 * @internal
 */
export interface ValueCondition {
  text: string;
  path: string[];
  operator: Operator;
  operand: JsonValue;
}

const SYNTAX = /^values((?:\.[A-Za-z_$][\w$-]*)+)\s*(==|!=|>=|<=|>|<)\s*(.+)$/;

/**
 * Parses a value comparison.
 * @throws Error saying what is wrong and what the syntax is
 */
export function parseValueCondition(text: string): ValueCondition {
  const match = SYNTAX.exec(text.trim());
  if (!match) {
    throw new Error(
      `'${text}' is not a value comparison; write values.<field> <op> <JSON value> with op one of ${OPERATORS.join(
        ' ',
      )}, e.g. values.storageGb > 100 or values.tier == "gold"`,
    );
  }
  const [, dotted, operator, literal] = match;
  let operand: JsonValue;
  try {
    operand = JSON.parse(literal);
  } catch {
    throw new Error(
      `'${text}': ${literal} is not a JSON value; put strings in double quotes, e.g. "gold"`,
    );
  }
  if (
    ['>', '>=', '<', '<='].includes(operator) &&
    typeof operand !== 'number'
  ) {
    throw new Error(
      `'${text}': ${operator} compares numbers, and ${literal} is not a number`,
    );
  }
  return {
    text,
    path: dotted.slice(1).split('.'),
    operator: operator as Operator,
    operand,
  };
}

function lookup(values: JsonObject, path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = values;
  for (const key of path) {
    if (
      typeof current !== 'object' ||
      current === null ||
      Array.isArray(current) ||
      !Object.prototype.hasOwnProperty.call(current, key)
    ) {
      return undefined;
    }
    current = (current as JsonObject)[key];
  }
  return current;
}

/**
 * Whether the values satisfy the comparison. A missing field, or a field of another type than
 * a numeric comparison needs, does not match (`!=` matches a missing field).
 * @internal
 */
export function testValueCondition(
  condition: ValueCondition,
  values: JsonObject,
): boolean {
  const actual = lookup(values, condition.path);
  const { operator, operand } = condition;
  if (operator === '==' || operator === '!=') {
    const equal = JSON.stringify(actual) === JSON.stringify(operand);
    return operator === '==' ? equal : !equal;
  }
  if (typeof actual !== 'number') {
    return false;
  }
  const limit = operand as number;
  switch (operator) {
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '<':
      return actual < limit;
    default:
      return actual <= limit;
  }
}
