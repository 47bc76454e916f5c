import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handlerFor } from './handlers.js';
import { InvalidMessageError, parseWorkItem } from './messages.js';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseWorkItem', () => {
  it('reads a work item, with data defaulting to an empty object', () => {
    assert.deepEqual(parseWorkItem(body({ id: '1', type: 'example.greet' })), {
      id: '1',
      type: 'example.greet',
      data: {},
    });
  });

  it('says precisely what is wrong with a message that can never be handled', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['not json', /the body is not JSON/],
      [[1, 2], /must be a JSON object/],
      [{ type: 'x' }, /"id" must be a non-empty string/],
      [{ id: '1' }, /"type" must be a non-empty string/],
      [{ id: '1', type: 'x', data: 'text' }, /"data" must be an object/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => parseWorkItem(body(input)), (error: Error) => {
        assert.ok(error instanceof InvalidMessageError);
        assert.match(error.message, message);
        return true;
      });
    }
  });
});

describe('handlerFor', () => {
  it('finds the handler of a type and rejects unknown types, naming the known ones', () => {
    assert.equal(typeof handlerFor({ id: '1', type: 'example.greet', data: {} }), 'function');
    assert.throws(
      () => handlerFor({ id: '1', type: 'nope', data: {} }),
      /no handler for type 'nope'; known types: example.greet/,
    );
    assert.throws(() => handlerFor({ id: '1', type: 'toString', data: {} }), InvalidMessageError);
  });
});
