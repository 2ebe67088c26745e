/** A small GraphQL-over-HTTP client: the demo speaks to Tandem as any partner would. */
export class GraphqlClient {
  constructor(private readonly url: string) {}

  async request<T = any>(query: string, variables: Record<string, unknown>, key: string): Promise<T> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const e = body.errors[0];
      throw new GraphqlError(e.message, e.extensions?.code ?? 'UNKNOWN');
    }
    return body.data as T;
  }
}

export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  });
  await Promise.all(workers);
}
