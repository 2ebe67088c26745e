import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentNode, FieldNode, Kind, OperationDefinitionNode, buildSchema, print, validate } from 'graphql';
import * as ops from './scale-operations';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../../../schema.graphql'), 'utf8'));
const documents = Object.entries(ops).flatMap(([name, value]) => {
  const doc = value as unknown as DocumentNode;
  return doc?.definitions?.some((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) ? [[name, doc] as const] : [];
});

describe('the portal operations at scale against schema.graphql', () => {
  it.each(documents)('%s validates against the served schema', (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });

  it('asks for every member of a page in one document per request, within the alias limit', () => {
    const trends = ops.healthTrendsDocument(3) as unknown as DocumentNode;
    expect(validate(schema, trends).map((e) => e.message)).toEqual([]);
    expect(print(trends)).toContain('m2: healthHistory(memberId: $m2, first: $points)');
    expect(validate(schema, ops.healthTrendsDocument(ops.MAX_ALIASES) as unknown as DocumentNode)).toEqual([]);
    expect(() => ops.healthTrendsDocument(ops.MAX_ALIASES + 1)).toThrow('between 1 and 30 members per request, not 31');
    expect(() => ops.healthTrendsDocument(0)).toThrow(RangeError);
  });

  it('searches the relationships by name in the list itself, with its other filters and cursor', () => {
    const op = (ops.RelationshipsPageQuery as unknown as DocumentNode).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    ) as OperationDefinitionNode;
    const field = op.selectionSet.selections[0] as FieldNode;
    expect([field.name.value, field.arguments?.map((a) => a.name.value)]).toEqual(['relationships', ['role', 'atRisk', 'search', 'first', 'after']]);
    // One list request a page: no per-member health documents beside it.
    expect(Object.keys(ops).filter((name) => /health.*members|members.*health/i.test(name))).toEqual([]);
  });
});
