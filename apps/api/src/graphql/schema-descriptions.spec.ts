import { buildSchema } from 'graphql';
import { describeSchema, undescribedElements } from './schema-descriptions';

const SDL = `
  "Written in code."
  type Query { order(id: ID!): Order, colour: Colour }
  type Order { id: ID!, notes: String }
  enum Colour { RED GREEN }
`;

describe('describeSchema', () => {
  it('fills in what the code left undescribed, never replacing what it wrote', () => {
    const catalogue = { Query: 'From the catalogue.', Order: 'An order.', 'Order.id': 'The id.', 'Query.order(id)': 'Which order.', 'Colour.RED': 'Red.' };
    const schema = describeSchema(buildSchema(SDL), catalogue);
    expect(schema.getQueryType()?.description).toBe('Written in code.');
    expect(schema.getType('Order')?.description).toBe('An order.');
    expect(schema.getQueryType()?.getFields().order.args[0].description).toBe('Which order.');
    expect(undescribedElements(schema)).toEqual(['Colour', 'Colour.GREEN', 'Order.notes', 'Query.colour', 'Query.order']);
  });
});
