import { ResponseError } from '@backstage/errors';
import { CliError, toCliError } from './errors';

const TARGET = 'https://backstage.example.com';

async function answer(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/api/provisionhub/runs' },
        response: { statusCode: status },
      }),
      {
        status,
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

describe('toCliError', () => {
  it.each([
    [
      400,
      'InputError',
      'Invalid values: /values/port must be >= 1024',
      2,
      'invalid request: Invalid values: /values/port must be >= 1024',
    ],
    [
      401,
      'AuthenticationError',
      'Illegal token',
      2,
      `${TARGET} did not accept the credentials (Illegal token): sign in with \`provisionhub login\`, or set PROVISIONHUB_TOKEN to a token the portal accepts (backend.auth.externalAccess)`,
    ],
    [
      403,
      'NotAllowedError',
      'policy denies this request: denied because rule r: no',
      1,
      'denied: policy denies this request: denied because rule r: no',
    ],
    [
      404,
      'NotFoundError',
      "blueprint 'nope' does not exist",
      2,
      "not found: blueprint 'nope' does not exist",
    ],
    [
      409,
      'ConflictError',
      "component 'payments-api' already exists",
      1,
      "refused: component 'payments-api' already exists",
    ],
    [
      413,
      'PayloadTooLargeError',
      'request entity too large',
      2,
      'the request is too large: request entity too large',
    ],
    [
      503,
      'ServiceUnavailableError',
      'database down',
      2,
      `${TARGET} failed to answer (HTTP 503): database down`,
    ],
  ])(
    'turns HTTP %i into exit code %#',
    async (status, name, message, exitCode, text) => {
      const error = toCliError(await answer(status, name, message), TARGET);
      expect(error).toMatchObject({
        exitCode,
        message: text,
        statusCode: status,
        name,
      });
    },
  );

  it('says which portal cannot be reached, and that a timeout is one too', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7007'), {
        code: 'ECONNREFUSED',
      }),
    });
    expect(toCliError(refused, TARGET)).toMatchObject({
      exitCode: 2,
      name: 'ConnectionError',
      message: `cannot reach ${TARGET}: connect ECONNREFUSED 127.0.0.1:7007; check --url or PROVISIONHUB_URL`,
    });
    const timeout = Object.assign(
      new Error('The operation was aborted due to timeout'),
      {
        name: 'TimeoutError',
      },
    );
    expect(toCliError(timeout, TARGET)).toMatchObject({
      exitCode: 2,
      message: `${TARGET} did not answer in time; check that it is up and reachable`,
    });
  });

  it('keeps a CliError and lets a bug through', () => {
    const expected = new CliError('nope', 1);
    expect(toCliError(expected, TARGET)).toBe(expected);
    expect(() => toCliError(new RangeError('bug'), TARGET)).toThrow('bug');
  });
});
