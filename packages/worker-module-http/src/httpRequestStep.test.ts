import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type {
  WorkerStepContext,
  WorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readHttpCredentials } from './credentials';
import { HttpRequestStepInput, createHttpRequestStep } from './httpRequestStep';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver: answers with the status the test chooses. */
function startReceiver() {
  const received: Received[] = [];
  let answer: (res: http.ServerResponse) => void = res => {
    res.statusCode = 204;
    res.end();
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(res);
    });
  });
  return new Promise<{
    url: string;
    received: Received[];
    answerWith(fn: (res: http.ServerResponse) => void): void;
    close(): Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        received,
        answerWith: fn => {
          answer = fn;
        },
        close: () =>
          new Promise(done => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

function context(
  input: Partial<HttpRequestStepInput>,
  checkpoints = new Map<string, unknown>(),
) {
  const lines: string[] = [];
  const logger = {
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
    debug: () => {},
    child: () => logger,
  };
  const ctx = {
    input: { method: 'POST', timeoutMs: 10000, ...input },
    step: { id: 'notify', type: 'http:request' },
    job: {
      runId: 'run-1',
      requestedBy: 'user:default/ada',
      blueprint: { name: 'node-backend', version: '1.0.0' },
    },
    outputs: {
      repoUrl: 'file:///remotes/payments/api.git',
      defaultBranch: 'main',
      entityRef: 'component:default/api',
      commit: 'abc123',
    },
    logger,
    signal: new AbortController().signal,
    checkpoint: async (key: string, fn: () => Promise<unknown>) => {
      if (!checkpoints.has(key)) {
        checkpoints.set(key, await fn());
      }
      return checkpoints.get(key);
    },
  } as unknown as WorkerStepContext<HttpRequestStepInput>;
  return { ctx, lines, checkpoints };
}

describe('http:request', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let step: WorkerStep<HttpRequestStepInput>;
  const TOKEN = 'Bearer hook-s3cr3t';

  beforeEach(async () => {
    receiver = await startReceiver();
    step = createHttpRequestStep(
      readHttpCredentials(
        new ConfigReader({
          provisionhub: {
            worker: {
              http: {
                credentials: {
                  deploy: { urlPrefix: `${receiver.url}/hooks/`, token: TOKEN },
                },
              },
            },
          },
        }),
      ),
    );
  });
  afterEach(() => receiver.close());

  it("posts the run's outputs as JSON, logs the status, and never twice for one run", async () => {
    const { ctx, lines, checkpoints } = context({
      url: `${receiver.url}/hooks/deploy?key=not-logged`,
      headers: { 'X-Source': 'provisionhub' },
      credentials: 'deploy',
    });
    expect(await step.run(ctx)).toEqual({
      status: 'succeeded',
      detail: `POST ${receiver.url}/hooks/deploy answered 204 No Content`,
    });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/hooks/deploy?key=not-logged',
      headers: {
        'content-type': 'application/json',
        'x-source': 'provisionhub',
        authorization: TOKEN,
        'idempotency-key': 'run-1-notify',
      },
    });
    expect(JSON.parse(request.body)).toEqual({
      runId: 'run-1',
      blueprint: 'node-backend@1.0.0',
      requestedBy: 'user:default/ada',
      repoUrl: 'file:///remotes/payments/api.git',
      defaultBranch: 'main',
      entityRef: 'component:default/api',
      commit: 'abc123',
    });
    expect(lines).toEqual([
      `info POST ${receiver.url}/hooks/deploy answered 204 No Content`,
    ]);
    expect(lines.join('\n')).not.toContain('hook-s3cr3t');
    expect(lines.join('\n')).not.toContain('not-logged');

    // A redelivery of the run finds the checkpoint: no second call.
    const again = context({ url: `${receiver.url}/hooks/deploy` }, checkpoints);
    expect(await step.run(again.ctx)).toEqual({
      status: 'skipped',
      detail: `POST ${receiver.url}/hooks/deploy was called by an earlier delivery (answered 204)`,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('sends a string body as it is, and JSON bodies with their own content type', async () => {
    await step.run(
      context({
        url: `${receiver.url}/plain`,
        method: 'PUT',
        body: 'hello',
        headers: { 'content-type': 'text/plain' },
      }).ctx,
    );
    await step.run(context({ url: `${receiver.url}/get`, method: 'GET' }).ctx);
    expect(
      receiver.received.map(r => [r.method, r.body, r.headers['content-type']]),
    ).toEqual([
      ['PUT', 'hello', 'text/plain'],
      ['GET', '', undefined],
    ]);
  });

  it('retries 5xx, 429 and timeouts, and fails at once on other 4xx and redirects', async () => {
    const cases: Array<[number, string]> = [
      [503, 'TransientError'],
      [429, 'TransientError'],
      [404, 'PermanentError'],
      [302, 'PermanentError'],
    ];
    for (const [status, name] of cases) {
      receiver.answerWith(res => {
        res.statusCode = status;
        if (status === 302) {
          res.setHeader('location', 'http://127.0.0.1:1/elsewhere');
        }
        res.end('details that are not logged');
      });
      const { ctx, checkpoints } = context({ url: `${receiver.url}/x` });
      const error = await step.run(ctx).catch(e => e);
      expect([status, error.name]).toEqual([status, name]);
      expect(error.message).toMatch(
        new RegExp(
          `^step 'notify' \\(http:request\\): POST ${receiver.url}/x answered ${status}`,
        ),
      );
      // Nothing stored: a retry calls again.
      expect(checkpoints.size).toBe(0);
    }
    expect(receiver.received).toHaveLength(cases.length);

    receiver.answerWith(() => {
      // never answers
    });
    const error = await step
      .run(context({ url: `${receiver.url}/slow`, timeoutMs: 200 }).ctx)
      .catch(e => e);
    expect(error.name).toBe('TransientError');
    expect(error.message).toBe(
      `step 'notify' (http:request): POST ${receiver.url}/slow did not answer within 200 ms`,
    );
  });

  it('fails at once for a URL that does not parse or a GET with a body', async () => {
    for (const [input, message] of [
      [{ url: 'http://' }, 'input.url is not a URL'],
      [
        { url: `${receiver.url}/x`, method: 'GET', body: 'x' },
        'a GET request cannot have a body',
      ],
    ] as const) {
      await expect(step.run(context(input).ctx)).rejects.toMatchObject({
        name: 'PermanentError',
        message: `step 'notify' (http:request): ${message}`,
      });
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('sends credentials only under their URL prefix', async () => {
    for (const url of [
      `${receiver.url}/other`,
      `${receiver.url}/hooksevil`,
      `${receiver.url.replace('127.0.0.1', 'localhost')}/hooks/x`,
    ]) {
      const error = await step
        .run(context({ url, credentials: 'deploy' }).ctx)
        .catch(e => e);
      expect(error).toMatchObject({
        name: 'PermanentError',
        message: `step 'notify' (http:request): credentials 'deploy' may only be sent to ${receiver.url}/hooks/`,
      });
    }
    const unknown = await step
      .run(context({ url: `${receiver.url}/hooks/x`, credentials: 'nope' }).ctx)
      .catch(e => e);
    expect(unknown.message).toBe(
      "step 'notify' (http:request): input.credentials 'nope' is not in provisionhub.worker.http.credentials",
    );
    expect(receiver.received).toHaveLength(0);
  });
});

describe('readHttpCredentials', () => {
  it.each([
    [
      { x: { urlPrefix: 'nope', token: 't' } },
      "credentials.x.urlPrefix 'nope' is not a URL",
    ],
    [
      { x: { urlPrefix: 'ftp://h/', token: 't' } },
      'must be an http or https URL',
    ],
    [
      { x: { urlPrefix: 'https://h/', token: 't', header: 'a b' } },
      "credentials.x.header 'a b'",
    ],
    [{ x: { urlPrefix: 'https://h/' } }, 'credentials.x.token'],
  ])('names the key that is wrong: %j', (credentials, message) => {
    const config = new ConfigReader({
      provisionhub: { worker: { http: { credentials } } },
    } as JsonObject);
    expect(() => readHttpCredentials(config)).toThrow(message);
  });
});
