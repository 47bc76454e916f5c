import { InputError } from '@backstage/errors';

/**
 * Position after the last run of a page, for keyset pagination on `(created_at, id)`.
 * @internal
 */
export interface RunCursor {
  createdAt: Date;
  id: string;
}

/** @internal */
export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(
    JSON.stringify({ t: cursor.createdAt.getTime(), i: cursor.id }),
  ).toString('base64url');
}

/** @internal */
export function decodeRunCursor(text: string): RunCursor {
  try {
    const { t, i } = JSON.parse(
      Buffer.from(text, 'base64url').toString('utf8'),
    );
    if (typeof t === 'number' && Number.isFinite(t) && typeof i === 'string') {
      return { createdAt: new Date(t), id: i };
    }
  } catch {
    // reported below
  }
  throw new InputError(
    `cursor '${text}' is not valid: pass the nextCursor of a previous GET /runs page unchanged`,
  );
}
