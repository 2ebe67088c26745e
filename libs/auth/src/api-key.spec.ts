import { MAX_KEY_LENGTH, bearerToken, readAuthorization } from './api-key';

describe('readAuthorization', () => {
  it('reads one bearer token, whatever the case of "Bearer"', () => {
    expect(readAuthorization(['Bearer tnd_op_abc'])).toEqual({ kind: 'key', key: 'tnd_op_abc' });
    expect(readAuthorization('bearer tnd_op_abc ')).toEqual({ kind: 'key', key: 'tnd_op_abc' });
  });

  it('treats an absent or empty header as no key', () => {
    expect(readAuthorization(undefined)).toEqual({ kind: 'none' });
    expect(readAuthorization([])).toEqual({ kind: 'none' });
    expect(readAuthorization([''])).toEqual({ kind: 'none' });
  });

  it.each([
    ['two headers', ['Bearer a', 'Bearer b']],
    ['two headers folded into one', ['Bearer a, Bearer b']],
  ])('calls %s malformed', (_, values) => {
    expect(readAuthorization(values)).toEqual({ kind: 'malformed' });
  });

  it.each([
    ['another scheme', ['Basic dXNlcjpwYXNz']],
    ['no token', ['Bearer']],
    ['two tokens', ['Bearer a b']],
    ['a control character', ['Bearer a\u0000b']],
    ['a token longer than any key', [`Bearer ${'k'.repeat(MAX_KEY_LENGTH + 1)}`]],
  ])('finds no key in %s', (_, values) => {
    expect(readAuthorization(values)).toEqual({ kind: 'none' });
  });

  it('gives bearerToken null for anything but one key', () => {
    expect(bearerToken('Bearer k')).toBe('k');
    expect(bearerToken(['Bearer k', 'Bearer k'])).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
