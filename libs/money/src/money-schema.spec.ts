import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { Args, GraphQLSchemaBuilderModule, GraphQLSchemaFactory, Query, Resolver } from '@nestjs/graphql';
import { printType } from 'graphql';
import { MoneyInput } from './money.input';
import { MoneyObject } from './money.object';

@Resolver()
class EchoResolver {
  @Query(() => MoneyObject)
  echo(@Args('input', { type: () => MoneyInput }) input: MoneyInput): MoneyObject {
    return input;
  }
}

describe('Money GraphQL types', () => {
  it('build Money and MoneyInput with non-null string fields and descriptions', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [GraphQLSchemaBuilderModule] }).compile();
    const schema = await moduleRef.get(GraphQLSchemaFactory).create([EchoResolver]);

    const output = schema.getType('Money');
    const input = schema.getType('MoneyInput');
    expect(output && printType(output)).toContain('type Money {\n  amount: String!\n  currency: String!\n}');
    expect(input && printType(input)).toContain('input MoneyInput {\n  amount: String!\n  currency: String!\n}');
    expect(output?.description).toContain('"120.00" USD, "1000" JPY, "-3.50" EUR');
    expect(input?.description).toContain('ISO 4217');
  });
});
