/** The label of every operation past the first names, or with a name no dashboard should carry. */
export const OTHER_OPERATION = 'other';
/** The label of an operation sent without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';

const WELL_FORMED = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Metric labels from a bounded set: the first `capacity` well-formed names
 * seen keep their own series (the portal's and known clients' operations are
 * among the first any instance sees), every later or odd one is `other`. A
 * Prometheus series lives as long as the process, so a label a client chooses
 * freely is memory it chooses freely.
 */
export class BoundedLabels {
  private readonly known = new Set<string>();

  constructor(readonly capacity: number) {}

  label(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.known.has(name)) return name;
    if (!WELL_FORMED.test(name) || this.known.size >= this.capacity) return OTHER_OPERATION;
    this.known.add(name);
    return name;
  }

  get size(): number {
    return this.known.size;
  }
}

/** Operation names labelled in tandem_graphql_* metrics, per process. */
export const MAX_OPERATION_LABELS = 200;

export const graphqlOperationLabels = new BoundedLabels(MAX_OPERATION_LABELS);
