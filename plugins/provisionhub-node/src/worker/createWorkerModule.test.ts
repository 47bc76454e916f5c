import {
  createWorkerModule,
  createWorkerStep,
  workerModuleProblem,
} from './createWorkerModule';

describe('createWorkerModule', () => {
  it('makes a module the worker recognises', async () => {
    const registered: string[] = [];
    const module = createWorkerModule({
      id: 'acme-notify',
      register(env) {
        env.registerStep(
          'acme:notify',
          createWorkerStep({
            schema: { input: {} },
            run: async () => undefined,
          }),
        );
      },
    });
    expect(module).toMatchObject({
      $$type: '@provisionhub/WorkerModule',
      id: 'acme-notify',
    });
    expect(workerModuleProblem(module)).toBeUndefined();
    await module.register({
      config: {} as any,
      registerStep: type => registered.push(type),
      registerGitProvider: () => {},
    });
    expect(registered).toEqual(['acme:notify']);
  });

  it('refuses a bad id or a missing register function', () => {
    expect(() =>
      createWorkerModule({ id: 'Has Space', register() {} }),
    ).toThrow('createWorkerModule: id must be lowercase');
    expect(() => createWorkerModule({ id: 'x' } as any)).toThrow(
      "createWorkerModule: module 'x' needs a register(env) function",
    );
  });

  it.each([
    [undefined, 'it is undefined, not a module'],
    [null, 'it is null, not a module'],
    [{ id: 'x', register() {} }, 'it was not made with createWorkerModule'],
    [
      { $$type: '@provisionhub/WorkerModule', id: 'A B', register() {} },
      'its id is not a valid module id',
    ],
    [
      { $$type: '@provisionhub/WorkerModule', id: 'x' },
      'it has no register function',
    ],
  ])('says why %j is not a module', (value, problem) => {
    expect(workerModuleProblem(value)).toBe(problem);
  });
});
