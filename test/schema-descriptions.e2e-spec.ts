import { GraphQLSchemaHost } from '@nestjs/graphql';
import { buildClientSchema, getIntrospectionQuery, IntrospectionQuery } from 'graphql';
import { SCHEMA_DESCRIPTIONS, schemaCoordinates, undescribedElements } from '../apps/api/src/graphql/schema-descriptions';
import { TandemHarness } from './support/tandem';

const CATALOGUE = 'apps/api/src/graphql/schema-descriptions.ts';

/** Partners read the API by introspection: every element they see has a sentence. */
describe('a self-describing API', () => {
  let t: TandemHarness;

  beforeAll(async () => {
    t = await TandemHarness.start('schema-descriptions', { worker: false });
  });
  afterAll(() => t.stop());

  it('describes every type, field, argument and enum value a partner introspects', async () => {
    const r = await t.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, t.adminKey);
    expect(r.errors).toBeUndefined();
    const undescribed = undescribedElements(buildClientSchema(r.data as IntrospectionQuery));
    // Each line is a key to add to the catalogue (or a description to write in the code).
    expect({ [`undescribed: add to ${CATALOGUE}`]: undescribed }).toEqual({ [`undescribed: add to ${CATALOGUE}`]: [] });
  });

  it('keeps no catalogue entry that names nothing in the served schema', () => {
    const coordinates = schemaCoordinates(t.api.get(GraphQLSchemaHost).schema);
    const stale = Object.keys(SCHEMA_DESCRIPTIONS).filter((c) => !coordinates.has(c));
    expect({ [`stale entries of ${CATALOGUE}`]: stale }).toEqual({ [`stale entries of ${CATALOGUE}`]: [] });
  });

  it('serves GraphiQL to a browser at /graphql outside production, and still refuses a keyless query', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('graphiql');

    const query = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(await query.json()).toEqual({ errors: [{ message: 'A valid API key is required', extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});

describe('GraphiQL in production', () => {
  let t: TandemHarness;

  beforeAll(async () => {
    t = await TandemHarness.start('graphiql-production', { worker: false, config: { production: true } });
  });
  afterAll(() => t.stop());

  it('is not served: a browser without a key is refused like any keyless request', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await page.json()).toEqual({ errors: [{ message: 'A valid API key is required', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('is not served to a browser with a key either', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html', authorization: `Bearer ${t.adminKey}` } });
    expect(await page.text()).not.toContain('graphiql');
  });
});
