import type { JsonValue } from '@backstage/types';
import {
  PermanentError,
  TransientError,
  WorkerStep,
  createWorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import { HttpCredential, isUnderPrefix } from './credentials';

/**
 * The input of `http:request`, after rendering and defaults (see the README).
 * @public
 */
export type HttpRequestStepInput = {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: JsonValue;
  credentials?: string;
  timeoutMs: number;
};

const SCHEMA = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: {
      type: 'string',
      pattern: '^https?://',
      description: 'Where to send the request (http or https)',
    },
    method: {
      type: 'string',
      enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      default: 'POST',
    },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Extra request headers',
    },
    body: {
      description:
        "A string is sent as it is, anything else as JSON. Default for POST, PUT and PATCH: the run's outputs as JSON",
    },
    credentials: {
      type: 'string',
      description:
        'Name of an entry of provisionhub.worker.http.credentials whose header is added',
    },
    timeoutMs: {
      type: 'integer',
      minimum: 100,
      maximum: 120000,
      default: 10000,
    },
  },
};

/** What the step stores in its checkpoint: the answer of the one call the run made. */
type Answer = { status: number; statusText: string };

/**
 * The `http:request` step: calls a webhook with the run's outputs.
 * @param credentials - `provisionhub.worker.http.credentials`, read at startup
 * @public
 */
export function createHttpRequestStep(
  credentials: ReadonlyMap<string, HttpCredential>,
): WorkerStep<HttpRequestStepInput> {
  return createWorkerStep<HttpRequestStepInput>({
    description: "Calls a webhook with the run's outputs",
    schema: { input: SCHEMA },
    async run(ctx) {
      const { input, step, job, outputs, logger } = ctx;
      const label = `step '${step.id}' (http:request)`;
      let url: URL;
      try {
        url = new URL(input.url);
      } catch {
        throw new PermanentError(`${label}: input.url is not a URL`);
      }
      if (input.method === 'GET' && input.body !== undefined) {
        throw new PermanentError(`${label}: a GET request cannot have a body`);
      }
      // Query strings often carry tokens; the log shows where the call went, not them.
      const where = `${input.method} ${url.origin}${url.pathname}`;

      const headers = new Headers();
      for (const [name, value] of Object.entries(input.headers ?? {})) {
        try {
          headers.set(name, value);
        } catch {
          throw new PermanentError(
            `${label}: input.headers.${name} is not a valid header`,
          );
        }
      }
      if (input.credentials !== undefined) {
        const credential = credentials.get(input.credentials);
        if (!credential) {
          throw new PermanentError(
            `${label}: input.credentials '${input.credentials}' is not in provisionhub.worker.http.credentials`,
          );
        }
        if (!isUnderPrefix(url, credential.urlPrefix)) {
          throw new PermanentError(
            `${label}: credentials '${input.credentials}' may only be sent to ${credential.urlPrefix.href}`,
          );
        }
        headers.set(credential.header, credential.token);
      }
      // Receivers that deduplicate see the same key on every delivery of the run.
      headers.set('Idempotency-Key', `${job.runId}-${step.id}`);

      let body = input.body;
      if (
        body === undefined &&
        ['POST', 'PUT', 'PATCH'].includes(input.method)
      ) {
        body = {
          runId: job.runId,
          blueprint: `${job.blueprint.name}@${job.blueprint.version}`,
          requestedBy: job.requestedBy,
          ...outputs,
        };
      }
      let payload: string | undefined;
      if (typeof body === 'string') {
        payload = body;
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        if (!headers.has('content-type')) {
          headers.set('content-type', 'application/json');
        }
      }

      let called = false;
      const { status, statusText } = await ctx.checkpoint<Answer>(
        'response',
        async () => {
          called = true;
          const result = await send(url, {
            method: input.method,
            headers,
            body: payload,
            timeoutMs: input.timeoutMs,
            signal: ctx.signal,
            label,
            where,
          });
          logger.info(
            `${where} answered ${result.status} ${result.statusText}`,
          );
          return result;
        },
      );
      if (!called) {
        const detail = `${where} was called by an earlier delivery (answered ${status})`;
        logger.info(detail);
        return { status: 'skipped', detail };
      }
      return {
        status: 'succeeded',
        detail: `${where} answered ${status} ${statusText}`.trim(),
      };
    },
  });
}

async function send(
  url: URL,
  options: {
    method: string;
    headers: Headers;
    body?: string;
    timeoutMs: number;
    signal: AbortSignal;
    label: string;
    where: string;
  },
): Promise<Answer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      // Never follow: a redirect would carry the credentials header to another place.
      redirect: 'manual',
      signal: AbortSignal.any([options.signal, timeout]),
    });
  } catch (error) {
    if (options.signal.aborted) {
      throw error;
    }
    if (timeout.aborted) {
      throw new TransientError(
        `${options.label}: ${options.where} did not answer within ${options.timeoutMs} ms`,
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    throw new TransientError(
      `${options.label}: ${options.where} failed: ${
        cause?.code ?? cause?.message ?? (error as Error).message
      }`,
    );
  }
  // The body is not needed (and may be large or hold anything); release the connection.
  await response.body?.cancel().catch(() => undefined);
  const answer = { status: response.status, statusText: response.statusText };
  if (response.status >= 200 && response.status < 300) {
    return answer;
  }
  const message =
    `${options.label}: ${options.where} answered ${response.status} ${response.statusText}`.trim();
  if (response.status >= 300 && response.status < 400) {
    throw new PermanentError(`${message}; redirects are not followed`);
  }
  if (response.status >= 500 || [408, 429].includes(response.status)) {
    throw new TransientError(message);
  }
  throw new PermanentError(message);
}
