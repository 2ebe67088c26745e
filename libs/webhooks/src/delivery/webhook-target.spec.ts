import { DomainError } from '@tandem/common';
import { afterAttempt } from './retry-schedule';
import { RefusedTargetError, assertLiteralTargetAllowed, checkWebhookUrl, isPublicAddress, refusalOf } from './webhook-target';

const guarded = { production: true, allowPrivate: false };
const allowed = { production: true, allowPrivate: true };
const development = { production: false, allowPrivate: false };

const codeOf = async (url: string, rules = guarded) =>
  checkWebhookUrl(url, rules).then(
    () => 'OK',
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe('webhook targets', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['93.184.215.14', true],
    ['2606:4700::1111', true],
    ['not-an-address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('accepts a public https URL and refuses the rest where the guard is on (IP literals: no DNS)', async () => {
    expect(await codeOf('https://93.184.215.14/hook')).toBe('OK');
    expect(await codeOf('http://93.184.215.14/hook')).toBe('BAD_USER_INPUT');
    expect(await codeOf('https://127.0.0.1/hook')).toBe('BAD_USER_INPUT');
    expect(await codeOf('https://[::1]/hook')).toBe('BAD_USER_INPUT');
    expect(await codeOf('https://user:pw@93.184.215.14/hook')).toBe('BAD_USER_INPUT');
    expect(await codeOf('ftp://93.184.215.14/hook')).toBe('BAD_USER_INPUT');
    expect(await codeOf('no url')).toBe('BAD_USER_INPUT');
    expect(await codeOf(`https://93.184.215.14/${'a'.repeat(2048)}`)).toBe('BAD_USER_INPUT');
  });

  it('allows http and private targets outside production and with TANDEM_WEBHOOK_ALLOW_PRIVATE', async () => {
    for (const rules of [allowed, development]) {
      expect(await codeOf('http://127.0.0.1:9/hook', rules)).toBe('OK');
      expect(await codeOf('https://10.0.0.1/hook', rules)).toBe('OK');
      expect(await codeOf('ftp://10.0.0.1/hook', rules)).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses an IP literal at delivery where the guard is on, and says why through refusalOf', () => {
    expect(() => assertLiteralTargetAllowed(new URL('https://[fe80::1]/x'), guarded)).toThrow(new RefusedTargetError('fe80::1 is not a public address'));
    expect(() => assertLiteralTargetAllowed(new URL('http://127.0.0.1/x'), allowed)).not.toThrow();
    expect(() => assertLiteralTargetAllowed(new URL('https://93.184.215.14/x'), guarded)).not.toThrow();
    // fetch wraps the agent's lookup error: the refusal is found in the causes.
    const wrapped = new TypeError('fetch failed', { cause: new RefusedTargetError('localhost resolves to 127.0.0.1, which is not public') });
    expect(refusalOf(wrapped)).toBe('localhost resolves to 127.0.0.1, which is not public');
    expect(refusalOf(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }))).toBeNull();
    expect(refusalOf('not an error')).toBeNull();
  });
});

describe('retry schedule', () => {
  const delays = [5, 300];
  it('retries after each configured delay, then fails; a 2xx succeeds at any attempt', () => {
    expect(afterAttempt(1, 0, 500, delays)).toEqual({ status: 'PENDING', retryInSeconds: 5 });
    expect(afterAttempt(2, 0, null, delays)).toEqual({ status: 'PENDING', retryInSeconds: 300 });
    expect(afterAttempt(3, 0, 503, delays)).toEqual({ status: 'FAILED', retryInSeconds: null });
    expect(afterAttempt(3, 0, 204, delays)).toEqual({ status: 'SUCCEEDED', retryInSeconds: null });
    expect(afterAttempt(1, 0, 302, delays)).toEqual({ status: 'PENDING', retryInSeconds: 5 });
  });

  it('counts a redelivery as a new round from the attempts already made', () => {
    expect(afterAttempt(4, 3, 500, delays)).toEqual({ status: 'PENDING', retryInSeconds: 5 });
    expect(afterAttempt(6, 3, 500, delays)).toEqual({ status: 'FAILED', retryInSeconds: null });
  });
});
