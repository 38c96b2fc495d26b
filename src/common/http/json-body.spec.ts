import { findDuplicateKey } from './json-body.js';

describe('findDuplicateKey', () => {
  it.each([
    ['{"email":"a@b.c","email":"x@y.z"}', 'email'],
    ['{"a":{"b":1,"b":2}}', 'b'],
    ['[{"k":1},{"k":2,"k":3}]', 'k'],
    ['{"e\\u006dail":"a","email":"b"}', 'email'],
  ])('finds the duplicate in %s', (json, key) => {
    expect(findDuplicateKey(json)).toBe(key);
  });

  it.each([
    '{"a":"a","b":"a"}',
    '[{"k":1},{"k":2}]',
    '{"a":{"a":{"a":1}}}',
    '{"s":"\\"a\\":1,\\"a\\":2"}',
    '"x"',
    '{}',
  ])('accepts %s', (json) => {
    expect(findDuplicateKey(json)).toBeUndefined();
  });
});
