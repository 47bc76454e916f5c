import { checkStepInputSchema, validateStepInput } from './stepInput';

const schema = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1 },
    method: { type: 'string', enum: ['GET', 'POST'], default: 'POST' },
  },
};

describe('validateStepInput', () => {
  it('fills in defaults without changing the input', () => {
    const input = { url: 'http://hooks.local/x' };
    expect(validateStepInput(schema, input)).toEqual({
      ok: true,
      input: { url: 'http://hooks.local/x', method: 'POST' },
    });
    expect(input).toEqual({ url: 'http://hooks.local/x' });
  });

  it('names every wrong field under /input', () => {
    expect(validateStepInput(schema, { method: 'PUT', extra: 1 })).toEqual({
      ok: false,
      errors: [
        { field: '/input/url', message: 'is required' },
        { field: '/input/extra', message: 'is not a known field' },
        { field: '/input/method', message: 'must be one of "GET", "POST"' },
      ],
    });
  });

  it('treats a missing input as an empty object and refuses non-objects', () => {
    expect(validateStepInput({ type: 'object' }, undefined)).toEqual({
      ok: true,
      input: {},
    });
    expect(validateStepInput({}, ['a'])).toEqual({
      ok: false,
      errors: [{ field: '/input', message: 'must be an object' }],
    });
  });
});

describe('checkStepInputSchema', () => {
  it('says why a schema cannot be compiled', () => {
    expect(checkStepInputSchema(schema)).toBeUndefined();
    expect(checkStepInputSchema({ type: 'nonsense' })).toMatch(/type/);
  });
});
