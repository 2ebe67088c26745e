import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentNode, Kind, OperationDefinitionNode, buildSchema, validate } from 'graphql';
import * as ops from './operations';

// The API's cost and shape limits are checked against every one of these
// operations by apps/api/src/graphql/limits.plugin.spec.ts, with the real model.
const schema = buildSchema(readFileSync(path.join(__dirname, '../../../../schema.graphql'), 'utf8'));

const operations = Object.entries(ops).flatMap(([name, value]) => {
  const doc = value as unknown as DocumentNode;
  const op = doc?.definitions?.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op ? [[name, doc, op] as const] : [];
});

describe('portal operations against schema.graphql', () => {
  it('defines the operations the portal uses', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it.each(operations.map(([name, doc, op]) => [name, doc, op] as const))('%s validates against the served schema', (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });
});
