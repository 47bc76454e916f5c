import { compileCached, formatFieldErrors, toFieldErrors } from '../ajv';
import { messageSchemas } from './schemas';
import type { ProvisionHubMessage, ProvisionHubMessageKind } from './types';

/**
 * The result of reading a message off a queue.
 * @public
 */
export type ParsedMessage<K extends ProvisionHubMessageKind> =
  | { ok: true; message: Extract<ProvisionHubMessage, { kind: K }> }
  | { ok: false; reason: string };

/**
 * Parses and validates a message body. Never throws: a consumer dead-letters the message with
 * `reason` instead.
 *
 * @param body - the raw body
 * @param expected - the kinds this consumer accepts
 * @public
 */
export function parseMessage<K extends ProvisionHubMessageKind>(
  body: Buffer | string,
  expected: readonly K[],
): ParsedMessage<K> {
  let data: unknown;
  try {
    data = JSON.parse(body.toString());
  } catch (e) {
    return { ok: false, reason: `body is not JSON: ${(e as Error).message}` };
  }
  return validateMessage(data, expected);
}

/**
 * Validates an already parsed message; see {@link parseMessage}.
 * @public
 */
export function validateMessage<K extends ProvisionHubMessageKind>(
  data: unknown,
  expected: readonly K[],
): ParsedMessage<K> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'body is not a JSON object' };
  }
  const { kind, version } = data as { kind?: unknown; version?: unknown };
  if (
    typeof kind !== 'string' ||
    !(expected as readonly string[]).includes(kind)
  ) {
    return {
      ok: false,
      reason: `unknown message kind ${JSON.stringify(
        kind,
      )}; this queue accepts ${expected.join(', ')}`,
    };
  }
  const versions = messageSchemas[kind as K] as Record<number, object>;
  const schema = typeof version === 'number' ? versions[version] : undefined;
  if (!schema) {
    return {
      ok: false,
      reason: `unsupported ${kind} version ${JSON.stringify(
        version,
      )}; supported: ${Object.keys(versions).join(', ')}`,
    };
  }
  const validate = compileCached(schema);
  if (!validate(data)) {
    return {
      ok: false,
      reason: `invalid ${kind} message: ${formatFieldErrors(
        toFieldErrors(validate.errors),
      )}`,
    };
  }
  return {
    ok: true,
    message: data as Extract<ProvisionHubMessage, { kind: K }>,
  };
}
