import type { TadaDocumentNode } from 'gql.tada';
import { parse } from 'graphql';
import { graphql, type ResultOf } from './graphql';
import { CapabilityFields, FeeFields, MoneyFields, OrderSummaryFields, TermsFields } from './operations';

/*
 * The operator's views at a thousand members and more: every list here is one
 * cursor page at a time, filtered by the API, never walked to its end.
 */

/** One page of a table: the portal never asks for more rows at once. */
export const TABLE_PAGE = 50;

export const PageInfoFields = graphql(`
  fragment PageInfoFields on PageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

/** What one row of the relationships table shows. */
export const HealthRowFields = graphql(
  `
    fragment HealthRowFields on RelationshipHealth {
      score
      trust
      credibility
      reliability
      intimacy
      selfOrientation
      atRisk
      signals
      valueToHub {
        ...MoneyFields
      }
      valueToMember {
        ...MoneyFields
      }
      member {
        id
        name
        roles
      }
    }
  `,
  [MoneyFields],
);

export const RelationshipsPageQuery = graphql(
  `
    query RelationshipsPage($role: Role, $atRisk: Boolean, $search: String, $first: Int, $after: String) {
      relationships(role: $role, atRisk: $atRisk, search: $search, first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...HealthRowFields
          }
        }
      }
    }
  `,
  [PageInfoFields, HealthRowFields],
);

/** A page of members by name (the orders page's client and supplier choices). */
export const MemberSearchQuery = graphql(
  `
    query MemberSearch($search: String, $role: Role, $first: Int, $after: String) {
      members(search: $search, role: $role, first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            id
            name
          }
        }
      }
    }
  `,
  [PageInfoFields],
);

/** The member row of the members table, and the vetting queue's card. */
export const MemberRowFields = graphql(
  `
    fragment MemberRowFields on Member {
      id
      name
      roles
      vettingStatus
      joinedAt
      referredBy {
        id
        name
      }
      capabilities {
        ...CapabilityFields
      }
      terms {
        ...TermsFields
      }
    }
  `,
  [CapabilityFields, TermsFields],
);

export const MembersPageQuery = graphql(
  `
    query MembersPage($search: String, $role: Role, $vettingStatus: VettingStatus, $first: Int, $after: String) {
      members(search: $search, role: $role, vettingStatus: $vettingStatus, first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...MemberRowFields
          }
        }
      }
    }
  `,
  [PageInfoFields, MemberRowFields],
);

/** Suppliers waiting for a vetting decision: those who applied and those under review, oldest first. */
export const VettingQueueQuery = graphql(
  `
    query VettingQueue($first: Int) {
      applied: members(role: SUPPLIER, vettingStatus: APPLIED, first: $first) {
        totalCount
        edges {
          node {
            ...MemberRowFields
          }
        }
      }
      underReview: members(role: SUPPLIER, vettingStatus: UNDER_REVIEW, first: $first) {
        totalCount
        edges {
          node {
            ...MemberRowFields
          }
        }
      }
    }
  `,
  [MemberRowFields],
);

/** Partners by name, for the register form's "referred by" choice. */
export const PartnerChoicesQuery = graphql(`
  query PartnerChoices($search: String, $first: Int) {
    members(role: PARTNER, search: $search, first: $first) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export const OrdersPageQuery = graphql(
  `
    query OrdersPage($status: OrderStatus, $from: DateTime, $to: DateTime, $supplierId: ID, $clientId: ID, $first: Int, $after: String) {
      orders(status: $status, from: $from, to: $to, supplierId: $supplierId, clientId: $clientId, first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...OrderSummaryFields
            fees {
              ...FeeFields
            }
          }
        }
      }
    }
  `,
  [PageInfoFields, OrderSummaryFields, FeeFields],
);

// ---------------------------------------------------------------- several members at once

/** The API refuses more aliases than this in one request (apps/api/src/graphql/document-limits.ts). */
export const MAX_ALIASES = 30;
/** Snapshots per sparkline. */
export const TREND_POINTS = 12;

export interface TrendPoint {
  score: number;
  computedAt: string;
}

/**
 * One request for the score history of several members, one alias each
 * (`m0`, `m1`, …): a table page needs every row's trend, and asking member
 * by member would be one request per row.
 */
export function healthTrendsDocument(count: number): TadaDocumentNode<Record<string, TrendPoint[]>, Record<string, string | number>> {
  if (count < 1 || count > MAX_ALIASES) throw new RangeError(`between 1 and ${MAX_ALIASES} members per request, not ${count}`);
  const vars = Array.from({ length: count }, (_, i) => `$m${i}: ID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `m${i}: healthHistory(memberId: $m${i}, first: $points) { score computedAt }`).join('\n');
  return parse(`query HealthTrends($points: Int, ${vars}) {\n${fields}\n}`) as unknown as TadaDocumentNode<
    Record<string, TrendPoint[]>,
    Record<string, string | number>
  >;
}

export type HealthRow = ResultOf<typeof HealthRowFields>;

/** A member's health snapshots, newest first, for the history on its page. */
export const HealthHistoryQuery = graphql(
  `
    query HealthHistory($memberId: ID!, $first: Int) {
      healthHistory(memberId: $memberId, first: $first) {
        computedAt
        score
        trust
        atRisk
        valueToMember {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);
