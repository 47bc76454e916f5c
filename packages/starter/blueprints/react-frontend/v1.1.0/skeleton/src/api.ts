import { appConfig } from './config';

export interface Greeting {
  message: string;
}

/** A problem talking to the backend, with what the user can be told about it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Asks the backend for a greeting (`GET <apiPath>/hello?name=...`, the example endpoint of the
 * node-backend blueprint). Throws an ApiError saying what went wrong.
 */
export async function fetchGreeting(
  name: string,
  options: { fetch?: Fetch; apiPath?: string; signal?: AbortSignal } = {},
): Promise<Greeting> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const url = `${options.apiPath ?? appConfig.apiPath}/hello?name=${encodeURIComponent(name)}`;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal, headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(`The backend cannot be reached (${(error as Error).message}).`);
  }
  if (!response.ok) {
    throw new ApiError(`The backend answered ${response.status} ${response.statusText}.`, response.status);
  }
  const body = (await response.json()) as Partial<Greeting>;
  if (typeof body.message !== 'string') {
    throw new ApiError('The backend answered without a message.');
  }
  return { message: body.message };
}
