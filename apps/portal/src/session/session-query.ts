import type { ResultOf } from '../graphql/graphql';
import { SessionQuery } from '../graphql/operations';

export { SessionQuery };
export type ResultOfSession = ResultOf<typeof SessionQuery>;
