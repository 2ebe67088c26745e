import { DomainError } from './errors';
import { isBlank, requireName, requireStorableText, requireText } from './validate';

function badInput(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('BAD_USER_INPUT');
    return e as DomainError;
  }
  throw new Error('expected BAD_USER_INPUT, nothing was thrown');
}

describe('text that PostgreSQL cannot store', () => {
  it.each([
    ['a NUL alone', '\u0000'],
    ['a NUL inside', 'Grand\u0000Hotel'],
    ['a NUL at the end', 'note\u0000'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
  ])('refuses %s', (_label, value) => {
    const error = badInput(() => requireStorableText(value, 'notes'));
    expect(error.details).toEqual({ field: 'notes' });
    badInput(() => requireText(value, 'reason', 2000, 0));
    badInput(() => requireName(value));
  });

  it('keeps other text as it is, emoji and tabs included', () => {
    expect(requireStorableText('Welcome 🎁\tthanks', 'notes')).toBe('Welcome 🎁\tthanks');
    expect(requireText('', 'note', 2000, 0)).toBe('');
  });
});

describe('names', () => {
  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner and joiner', '\u200c\u200d'],
    ['word joiner', '\u2060'],
    ['byte order mark', '\ufeff'],
    ['a mix with spaces', ' \u200b\u2060\ufeff\u200d '],
    ['soft hyphen', '\u00ad'],
    ['control characters', '\u0001\u001f'],
    ['no-break and ideographic spaces', '\u00a0\u3000'],
  ])('refuses %s', (_label, name) => {
    expect(isBlank(name)).toBe(true);
    expect(badInput(() => requireName(name)).message).toContain('blank');
  });

  it('accepts a name with one visible character among invisible ones, verbatim', () => {
    expect(requireName('\u200bA\u200b')).toBe('\u200bA\u200b');
    expect(requireName('Fleur 🌸')).toBe('Fleur 🌸');
    expect(isBlank('x')).toBe(false);
  });

  it('counts code points: 200 emoji pass, 201 do not', () => {
    expect(requireName('🎁'.repeat(200))).toHaveLength(400);
    badInput(() => requireName('🎁'.repeat(201)));
  });
});
