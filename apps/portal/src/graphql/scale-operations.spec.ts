import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentNode, Kind, OperationDefinitionNode, buildSchema, print, validate } from 'graphql';
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

  it('asks for every member of a page in one document per request, within the alias and health limits', () => {
    const trends = ops.healthTrendsDocument(3) as unknown as DocumentNode;
    expect(validate(schema, trends).map((e) => e.message)).toEqual([]);
    expect(print(trends)).toContain('m2: healthHistory(memberId: $m2, first: $points)');
    expect(validate(schema, ops.healthTrendsDocument(ops.MAX_ALIASES) as unknown as DocumentNode)).toEqual([]);
    expect(() => ops.healthTrendsDocument(ops.MAX_ALIASES + 1)).toThrow('between 1 and 30 members per request, not 31');
    expect(() => ops.healthTrendsDocument(0)).toThrow(RangeError);

    const health = ops.healthOfMembersDocument(ops.MAX_HEALTH_PER_REQUEST) as unknown as DocumentNode;
    expect(validate(schema, health).map((e) => e.message)).toEqual([]);
    expect(() => ops.healthOfMembersDocument(11)).toThrow('between 1 and 10 members per request, not 11');
  });
});
