/** One unit of work, as JSON in a message body. */
export interface WorkItem {
  /** Unique per item: handlers use it to recognise a redelivered item. */
  id: string;
  /** Selects the handler, see handlers.ts. */
  type: string;
  data: Record<string, unknown>;
}

/** A message that can never be handled; it goes to the dead-letter queue at once. */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a message body, or says precisely why it is not a work item. */
export function parseWorkItem(body: Buffer): WorkItem {
  if (body.length > MAX_BODY_BYTES) {
    throw new InvalidMessageError(`the body has ${body.length} bytes; at most ${MAX_BODY_BYTES} are accepted`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InvalidMessageError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidMessageError('the body must be a JSON object');
  }
  const { id, type, data = {} } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidMessageError('"id" must be a non-empty string');
  }
  if (typeof type !== 'string' || type.length === 0) {
    throw new InvalidMessageError('"type" must be a non-empty string');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidMessageError('"data" must be an object when present');
  }
  return { id, type, data: data as Record<string, unknown> };
}
