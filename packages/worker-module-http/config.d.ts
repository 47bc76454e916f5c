export interface Config {
  provisionhub?: {
    worker?: {
      /** Settings of the `http:request` step (`@provisionhub/worker-module-http`). */
      http?: {
        /**
         * Credentials a blueprint step may name with `input.credentials`. Each is sent only to
         * URLs of its `urlPrefix` (same origin, path under it), so a blueprint cannot send it
         * elsewhere.
         */
        credentials?: {
          [name: string]: {
            /** e.g. `https://hooks.example.com/deploy/` */
            urlPrefix: string;
            /** Header that carries the token. Defaults to `Authorization`. */
            header?: string;
            /**
             * The whole header value, e.g. `Bearer ${DEPLOY_HOOK_TOKEN}`.
             * @visibility secret
             */
            token: string;
          };
        };
      };
    };
  };
}
