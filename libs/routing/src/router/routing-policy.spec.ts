import { DEFAULT_ROUTING_POLICY, applyRoutingPolicyChange, policyFrom } from './routing-policy';

describe('routing policy', () => {
  it('falls back to the defaults for an empty or broken stored policy', () => {
    expect(policyFrom({})).toEqual(DEFAULT_ROUTING_POLICY);
    expect(policyFrom(null)).toEqual(DEFAULT_ROUTING_POLICY);
    expect(policyFrom({ priceWeight: -1, healthWeight: 'x' })).toEqual(DEFAULT_ROUTING_POLICY);
    expect(policyFrom({ priceWeight: 2 })).toEqual({ ...DEFAULT_ROUTING_POLICY, priceWeight: 2 });
  });

  it('merges a change, leaving absent and null weights as they are', () => {
    expect(applyRoutingPolicyChange(DEFAULT_ROUTING_POLICY, { priceWeight: 1, healthWeight: null })).toEqual({
      ...DEFAULT_ROUTING_POLICY,
      priceWeight: 1,
    });
  });

  it.each([
    [{ priceWeight: -0.1 }],
    [{ spreadWeight: Number.NaN }],
    [{ reliabilityWeight: Number.POSITIVE_INFINITY }],
    [{ healthWeight: 1001 }],
    [{ priceWeight: 0, reliabilityWeight: 0, healthWeight: 0, spreadWeight: 0 }],
  ])('rejects %j with BAD_USER_INPUT', (change) => {
    expect(() => applyRoutingPolicyChange(DEFAULT_ROUTING_POLICY, change)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
