import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, buildSchema, validate, visit } from 'graphql';
import * as ops from './disputes-operations';

// Like operations.spec.ts, for the feedback, dispute and refund operations.
const schema = buildSchema(readFileSync(path.join(__dirname, '../../../../schema.graphql'), 'utf8'));

const operations = Object.entries(ops).flatMap(([name, value]) => {
  const doc = value as unknown as DocumentNode;
  const op = doc?.definitions?.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op ? [[name, doc, op] as const] : [];
});

/** The top-level fields an operation selects, with the arguments it passes. */
function rootFields(op: OperationDefinitionNode): FieldNode[] {
  return op.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

describe('disputes operations against schema.graphql', () => {
  it('defines the operations the feedback, dispute and refund pages use', () => {
    expect(operations.map(([name]) => name).sort()).toEqual([
      'DisputedOrdersQuery',
      'LeaveFeedbackMutation',
      'OpenDisputeMutation',
      'OrderVoicesQuery',
      'RatingsQuery',
      'RefundOrderPartiallyMutation',
      'ResolveDisputeMutation',
      'RespondToDisputeMutation',
    ]);
  });

  it.each(operations.map(([name, doc]) => [name, doc] as const))('%s validates against the served schema', (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });

  it('pages the orders it walks, and computes at most one relationship health per request', () => {
    for (const [name, , op] of operations) {
      const orders = rootFields(op).filter((f) => f.name.value === 'orders');
      for (const f of orders) expect([name, f.arguments?.map((a) => a.name.value).sort()]).toEqual([name, ['after', 'first', 'status']]);
      let health = 0;
      visit(op, { Field: (f) => void (f.name.value === 'relationshipHealth' && health++) });
      expect([name, health <= 1]).toEqual([name, true]);
    }
    expect(ops.DISPUTE_PAGE).toBeLessThanOrEqual(100);
  });
});
