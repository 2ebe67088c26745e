import { Histogram, register } from 'prom-client';
import './metrics';

describe('the histograms of /metrics', () => {
  it('are named by the Prometheus convention, <what>_duration_seconds', () => {
    const names = register
      .getMetricsAsArray()
      .filter((m) => m instanceof Histogram)
      .map((m) => (m as unknown as { name: string }).name);
    expect(names).toContain('tandem_graphql_operation_duration_seconds');
    expect(names.filter((n) => !n.endsWith('_duration_seconds'))).toEqual([]);
  });
});
