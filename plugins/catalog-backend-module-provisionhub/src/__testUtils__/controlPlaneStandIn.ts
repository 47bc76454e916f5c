import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';

/** What the stand-in serves and what it saw; tests change `entities` and `unavailable` freely. */
export interface ControlPlaneState {
  entities: Entity[];
  unavailable: boolean;
  /** Subjects of the principals that called `GET /catalog/entities`. */
  callers: string[];
  /** The stand-in's events service, for publishing as the control plane does. */
  events?: EventsService;
  /** Payloads the catalog published on the topics given to the stand-in. */
  received: Array<{ topic: string; payload: unknown }>;
  /** Answers of `GET /blueprints/{name}/versions/{version}`, by `name@version`. */
  blueprintVersions: Record<string, unknown>;
}

/**
 * A small backend plugin with the id `provisionhub` that answers `GET /catalog/entities` the way
 * the control plane does (service principals only), and publishes and records events.
 */
export function createControlPlaneStandIn(options: { recordTopics: string[] }) {
  const state: ControlPlaneState = {
    entities: [],
    unavailable: false,
    callers: [],
    received: [],
    blueprintVersions: {},
  };
  const plugin = createBackendPlugin({
    pluginId: 'provisionhub',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          events: eventsServiceRef,
        },
        async init({ httpRouter, httpAuth, events }) {
          state.events = events;
          await events.subscribe({
            id: 'stand-in-recorder',
            topics: options.recordTopics,
            async onEvent({ topic, eventPayload }) {
              state.received.push({ topic, payload: eventPayload });
            },
          });
          httpRouter.use((req, res, next) => {
            const version = req.path.match(
              /^\/blueprints\/([^/]+)\/versions\/([^/]+)$/,
            );
            if (req.method !== 'GET' || !version) {
              next();
              return;
            }
            httpAuth
              .credentials(req, { allow: ['service'] })
              .then(() => {
                const answer =
                  state.blueprintVersions[`${version[1]}@${version[2]}`];
                if (answer) {
                  res.json(answer);
                } else {
                  res.status(404).json({
                    error: {
                      name: 'NotFoundError',
                      message: 'no such version',
                    },
                  });
                }
              })
              .catch(next);
          });
          httpRouter.use((req, res, next) => {
            if (req.method !== 'GET' || req.path !== '/catalog/entities') {
              next();
              return;
            }
            httpAuth
              .credentials(req, { allow: ['service'] })
              .then(credentials => {
                state.callers.push(credentials.principal.subject);
                if (state.unavailable) {
                  throw new ServiceUnavailableError(
                    'the control plane database is down',
                  );
                }
                res.json({ items: state.entities });
              })
              .catch(next);
          });
        },
      });
    },
  });
  return { plugin, state };
}
