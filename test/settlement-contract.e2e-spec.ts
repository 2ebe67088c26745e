import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { buildSchema, findBreakingChanges, lexicographicSortSchema, printSchema } from 'graphql';
import { TandemHarness } from './support/tandem';

const CONTRACT_FILE = process.env.TANDEM_CONTRACT ?? path.resolve(__dirname, '..', '..', 'shared', 'contract', 'core.graphql');

/** The ledger and settlement part of contract/core.graphql (issue 5), checked on its own. */
const OURS = [
  'StatementStatus', 'Balance', 'Statement', 'SettlementRun', 'TrialBalance',
  'Query.balance', 'Query.statements', 'Query.trialBalance', 'Mutation.runSettlement', 'Mutation.markStatementPaid',
];

(existsSync(CONTRACT_FILE) ? describe : describe.skip)('the ledger and settlement contract', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('settlement-contract', { worker: false });
  });
  afterAll(() => t.stop());

  it('serves Balance, Statement, SettlementRun, TrialBalance and their operations exactly as core.graphql has them', () => {
    const served = buildSchema(printSchema(lexicographicSortSchema(t.api.get(GraphQLSchemaHost).schema)));
    const contract = buildSchema(readFileSync(CONTRACT_FILE, 'utf8'));
    const ours = findBreakingChanges(contract, served)
      .map((c) => c.description)
      .filter((d) => OURS.some((name) => d.startsWith(`${name} `) || d.startsWith(`${name}.`)));
    expect(ours).toEqual([]);
    // The check above is not vacuous: every one of these exists in the contract.
    for (const name of ['StatementStatus', 'Balance', 'Statement', 'SettlementRun', 'TrialBalance']) expect(contract.getType(name)).toBeDefined();
    const fields = served.getQueryType()?.getFields() ?? {};
    expect(String(fields.balance?.type)).toBe('Balance!');
    expect(fields.balance?.args.map((a) => `${a.name}: ${a.type}`)).toEqual(['currency: String!', 'memberId: ID!']);
  });
});
