import { graphql } from './graphql';
import { FeeFields, MoneyFields } from './operations';

/*
 * Feedback, disputes and partial refunds (the API's disputes.graphql part of
 * schema.graphql). disputes-operations.spec.ts validates each one against the
 * schema and keeps its lists paged.
 */

/** Disputes per page of the operator's disputes page. */
export const DISPUTE_PAGE = 50;

export const FeedbackFields = graphql(`
  fragment FeedbackFields on Feedback {
    id
    subject
    rating
    comment
    createdAt
    author {
      id
      name
    }
  }
`);

export const DisputeFields = graphql(
  `
    fragment DisputeFields on Dispute {
      id
      status
      reason
      supplierResponse
      resolution
      createdAt
      resolvedAt
      refund {
        ...MoneyFields
      }
      openedBy {
        id
        name
      }
    }
  `,
  [MoneyFields],
);

export const RefundFields = graphql(
  `
    fragment RefundFields on Refund {
      id
      reason
      createdAt
      amount {
        ...MoneyFields
      }
      reversed {
        ...FeeFields
      }
    }
  `,
  [MoneyFields, FeeFields],
);

/** What both sides said about one order, its dispute and its refunds, beside the order page's own query. */
export const OrderVoicesQuery = graphql(
  `
    query OrderVoices($id: ID!) {
      order(id: $id) {
        id
        status
        client {
          id
          name
        }
        supplier {
          id
          name
        }
        events {
          type
          at
        }
        fees {
          ...FeeFields
        }
        refundedAmount {
          ...MoneyFields
        }
        feedback {
          ...FeedbackFields
        }
        dispute {
          ...DisputeFields
        }
        refunds {
          ...RefundFields
        }
      }
    }
  `,
  [MoneyFields, FeeFields, FeedbackFields, DisputeFields, RefundFields],
);

/**
 * A page of the network's disputes for the operator's disputes page, the API's
 * order: the open ones oldest first, then the resolved and rejected ones newest
 * first; `openDisputes` counts every open one, whichever page this is.
 */
export const DisputesQuery = graphql(
  `
    query Disputes($first: Int, $after: String) {
      disputes(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...DisputeFields
            order {
              id
              status
              category
              quantity
              client {
                id
                name
              }
              supplier {
                id
                name
              }
              fees {
                ...FeeFields
              }
              refundedAmount {
                ...MoneyFields
              }
            }
          }
        }
      }
      openDisputes: disputes(status: OPEN, first: 0) {
        totalCount
      }
    }
  `,
  [MoneyFields, FeeFields, DisputeFields],
);

/** The ratings side of a member's relationship health. */
export const RatingsQuery = graphql(`
  query Ratings($memberId: ID!) {
    relationshipHealth(memberId: $memberId) {
      windowDays
      ratingReceived
      ratingOfHub
      disputes
      member {
        id
        name
      }
    }
  }
`);

export const LeaveFeedbackMutation = graphql(
  `
    mutation LeaveFeedback($input: FeedbackInput!) {
      leaveFeedback(input: $input) {
        ...FeedbackFields
      }
    }
  `,
  [FeedbackFields],
);

export const OpenDisputeMutation = graphql(
  `
    mutation OpenDispute($orderId: ID!, $reason: String!) {
      openDispute(orderId: $orderId, reason: $reason) {
        ...DisputeFields
      }
    }
  `,
  [DisputeFields],
);

export const RespondToDisputeMutation = graphql(
  `
    mutation RespondToDispute($disputeId: ID!, $response: String!) {
      respondToDispute(disputeId: $disputeId, response: $response) {
        ...DisputeFields
      }
    }
  `,
  [DisputeFields],
);

export const ResolveDisputeMutation = graphql(
  `
    mutation ResolveDispute($disputeId: ID!, $refund: MoneyInput, $note: String) {
      resolveDispute(disputeId: $disputeId, refund: $refund, note: $note) {
        ...DisputeFields
      }
    }
  `,
  [DisputeFields],
);

/** What a refund of `amount` would reverse on every leg now, by the API's own rule (nothing is written). */
export const RefundPreviewQuery = graphql(
  `
    query RefundPreview($orderId: ID!, $amount: MoneyInput!) {
      refundPreview(orderId: $orderId, amount: $amount) {
        ...FeeFields
      }
    }
  `,
  [FeeFields],
);

export const RefundOrderPartiallyMutation = graphql(
  `
    mutation RefundOrderPartially($orderId: ID!, $amount: MoneyInput!, $reason: String) {
      refundOrderPartially(orderId: $orderId, amount: $amount, reason: $reason) {
        id
        status
        refundedAmount {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);
