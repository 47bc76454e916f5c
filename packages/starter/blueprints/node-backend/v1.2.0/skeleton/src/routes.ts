import type { Config } from './config.js';
import type { Metrics } from './metrics.js';

export interface RouteRequest {
  url: URL;
  requestId: string;
}

export interface RouteResponse {
  status: number;
  /** Serialized as JSON, unless it is a string. */
  body: unknown;
  contentType?: string;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;

/** Routes by path, then by method. */
export type Routes = Record<string, Partial<Record<string, RouteHandler>>>;

export interface RouteState {
  /** False once shutdown started: the readiness probe fails so no new traffic arrives. */
  ready: boolean;
}

const MAX_NAME_LENGTH = 100;

/** Every endpoint of the service. Add your own next to `/api/hello`. */
export function createRoutes(config: Config, metrics: Metrics, state: RouteState): Routes {
  return {
    '${{ values.healthPath }}': {
      GET: () => ({ status: 200, body: { status: 'ok' } }),
    },
    '/readyz': {
      GET: () =>
        state.ready
          ? { status: 200, body: { status: 'ready' } }
          : { status: 503, body: { status: 'shutting down' } },
    },
    '/metrics': {
      GET: () => ({
        status: 200,
        body: metrics.render(),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    },
    '/': {
      GET: () => ({
        status: 200,
        body: {
          service: config.serviceName,
          system: config.system,
          environment: config.environment,
        },
      }),
    },
    '/api/hello': {
      GET: ({ url }) => {
        const name = url.searchParams.get('name') ?? 'world';
        if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
          return {
            status: 400,
            body: { error: `name must be 1 to ${MAX_NAME_LENGTH} characters long` },
          };
        }
        return { status: 200, body: { message: `Hello, ${name}!` } };
      },
    },
  };
}
