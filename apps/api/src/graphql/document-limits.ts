import { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { DocumentNode, GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * Bounds on the shape of a GraphQL document, checked before anything runs
 * (docs/security/graphql.md). Each fits the portal's operations
 * (apps/portal/src/graphql/operations.ts) and the standard introspection query
 * with room to spare; document-limits.spec.ts checks both.
 */
export const DOCUMENT_LIMITS = {
  /** Lexical tokens per document: the standard introspection query has 163. */
  maxTokens: 3_000,
  /** Aliased fields per operation, fragments counted once per spread. */
  maxAliases: 30,
  /** Directives per operation. */
  maxDirectives: 20,
  /** Fields nested, the root field counted as 1 (12 below it, as before issue 11); `__schema` is left to graphql-js and the cost estimate. */
  maxDepth: 13,
  /** What the parsed-document cache may keep, counted by the query text each entry keeps alive. */
  documentCacheBytes: 16 * 1024 * 1024,
} as const;

/** Armor reports a refusal as BAD_USER_INPUT; a document refused for its shape keeps Apollo's GRAPHQL_VALIDATION_FAILED. */
function refuse(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}

const reject = { propagateOnRejection: false, onReject: [refuse], exposeLimits: true };

/**
 * graphql-armor's aliases, directives and depth rules. Each counts a
 * fragment once however often it is spread, and stops at a fragment cycle
 * (which graphql-js's own NoFragmentCycles rule then reports).
 */
function armorRules(): ValidationRule[] {
  return new ApolloArmor({
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reject },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reject },
    // The standard introspection query nests 15 deep under __schema; the cost estimate bounds it instead.
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...reject },
    // Tokens are bounded by graphql-js's own parser (parseOptions below), in the one parse Apollo makes.
    maxTokens: { enabled: false },
    // The cost is estimated with the variables, in limits.plugin.ts.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;
}

/**
 * "Did you mean ...?" reveals the schema, which only a key may read: armor's
 * mask, applied to callers without a valid key.
 */
function hideSuggestionsFromStrangers(): ApolloServerPlugin<{ caller: unknown }> {
  const [mask] = new ApolloArmor({
    blockFieldSuggestion: { enabled: true },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxDepth: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
  }).protect().plugins as ApolloServerPlugin<{ caller: unknown }>[];
  return {
    async requestDidStart(rc) {
      if (rc.contextValue.caller) return;
      return mask.requestDidStart?.(rc);
    },
  };
}

/**
 * Apollo's default cache sizes an entry by its AST, which does not count the
 * query text the AST's locations keep alive: unique megabyte comments would
 * fill the heap. This one counts the text too.
 */
export function documentCache(maxBytes: number = DOCUMENT_LIMITS.documentCacheBytes): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({
    maxSize: maxBytes,
    // The text (up to two bytes a character) and an AST a few times its size.
    sizeCalculation: (doc: DocumentNode) => Math.max(1, (doc.loc?.source.body.length ?? 0) * 6),
  });
}

/** Everything graphql.options.ts needs to bound documents, from one place. */
export function documentLimits() {
  return {
    parseOptions: { maxTokens: DOCUMENT_LIMITS.maxTokens },
    validationRules: armorRules(),
    plugins: [hideSuggestionsFromStrangers()],
    documentStore: documentCache(),
  };
}
