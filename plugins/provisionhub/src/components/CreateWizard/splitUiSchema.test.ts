import { splitUiSchema } from './splitUiSchema';

describe('splitUiSchema', () => {
  it('moves ui: hints into the uiSchema, per field and nested', () => {
    const { schema, uiSchema } = splitUiSchema({
      type: 'object',
      'ui:order': ['name', '*'],
      required: ['name'],
      properties: {
        name: { type: 'string', 'ui:autofocus': true },
        tags: {
          type: 'array',
          'ui:options': { orderable: false },
          items: { type: 'string', 'ui:placeholder': 'tag' },
        },
        database: {
          type: 'object',
          properties: {
            size: { type: 'string', 'ui:widget': 'radio', enum: ['s', 'm'] },
          },
        },
      },
    });
    expect(schema).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        database: {
          type: 'object',
          properties: { size: { type: 'string', enum: ['s', 'm'] } },
        },
      },
    });
    expect(uiSchema).toEqual({
      'ui:order': ['name', '*'],
      name: { 'ui:autofocus': true },
      tags: {
        'ui:options': { orderable: false },
        items: { 'ui:placeholder': 'tag' },
      },
      database: { size: { 'ui:widget': 'radio' } },
    });
  });

  it('takes hints out of conditional and alternative parts too', () => {
    const { schema, uiSchema } = splitUiSchema({
      type: 'object',
      properties: { kind: { type: 'string', enum: ['queue', 'topic'] } },
      dependencies: {
        kind: {
          oneOf: [
            {
              properties: {
                kind: { const: 'queue' },
                ttl: { type: 'integer', 'ui:help': 'seconds' },
              },
            },
          ],
        },
      },
      if: { properties: { kind: { const: 'topic' } } },
      then: {
        properties: { partitions: { type: 'integer', 'ui:widget': 'updown' } },
      },
    });
    expect(JSON.stringify(schema)).not.toContain('ui:');
    expect(uiSchema).toEqual({
      ttl: { 'ui:help': 'seconds' },
      partitions: { 'ui:widget': 'updown' },
    });
  });
});
