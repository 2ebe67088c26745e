import { clientAddressBucket } from './client-address';

describe('clientAddressBucket', () => {
  it('counts an IPv4 address on its own, mapped into IPv6 or not', () => {
    expect(clientAddressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is spelled', () => {
    expect(clientAddressBucket('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(clientAddressBucket('2001:0db8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(clientAddressBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('puts a request without an address in one bucket', () => {
    expect(clientAddressBucket(undefined)).toBe('unknown');
  });
});
