import DataLoader from 'dataloader';

/**
 * A DataLoader per GraphQL request. The loaders live in a WeakMap keyed by the
 * request's context object, so their cache dies with the request and one
 * request never sees another's (possibly differently authorised) results.
 */
export abstract class RequestLoader<K, V> {
  private readonly byRequest = new WeakMap<object, DataLoader<K, V>>();

  /** Loads every key in one query; the result is in key order (an Error for a missing key). */
  protected abstract batch(keys: readonly K[]): Promise<(V | Error)[]>;

  protected loader(ctx: object): DataLoader<K, V> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => this.batch(keys));
      this.byRequest.set(ctx, loader);
    }
    return loader;
  }
}
