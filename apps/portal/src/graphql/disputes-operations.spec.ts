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
      'DisputesQuery',
      'LeaveFeedbackMutation',
      'OpenDisputeMutation',
      'OrderVoicesQuery',
      'RatingsQuery',
      'RefundOrderPartiallyMutation',
      'RefundPreviewQuery',
      'ResolveDisputeMutation',
      'RespondToDisputeMutation',
    ]);
  });

  it.each(operations.map(([name, doc]) => [name, doc] as const))('%s validates against the served schema', (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });

  it('pages the disputes it lists, walks no orders, and computes at most one relationship health per request', () => {
    for (const [name, , op] of operations) {
      expect([name, rootFields(op).filter((f) => f.name.value === 'orders')]).toEqual([name, []]);
      const disputes = rootFields(op).filter((f) => f.name.value === 'disputes');
      for (const f of disputes) expect([name, f.arguments?.map((a) => a.name.value).includes('first')]).toEqual([name, true]);
      let health = 0;
      visit(op, { Field: (f) => void (f.name.value === 'relationshipHealth' && health++) });
      expect([name, health <= 1]).toEqual([name, true]);
    }
    expect(ops.DISPUTE_PAGE).toBe(50);
  });

  it('asks for a page of 50 disputes after a cursor, and for the open ones only their count', () => {
    const op = operations.find(([name]) => name === 'DisputesQuery')?.[2] as OperationDefinitionNode;
    const args = (f: FieldNode) =>
      f.arguments?.map((a) => `${a.name.value}: ${a.value.kind === Kind.VARIABLE ? `$${a.value.name.value}` : (a.value as { value?: unknown }).value}`);
    expect(rootFields(op).map((f) => [f.alias?.value ?? f.name.value, args(f)])).toEqual([
      ['disputes', ['first: $first', 'after: $after']],
      ['openDisputes', ['status: OPEN', 'first: 0']],
    ]);
  });
});
