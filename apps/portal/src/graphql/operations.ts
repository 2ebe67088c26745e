import { graphql } from './graphql';

/** Page sizes the portal asks for; operations.spec.ts checks each query's cost at these sizes. */
export const PAGE = {
  orders: 25,
  earnings: 50,
  outcomes: 50,
  members: 50,
} as const;

/*
 * Every operation the portal sends, typed against schema.graphql. The unit
 * suite validates each one against the schema and checks it stays under the
 * API's cost limit with the page sizes used here.
 */

export const MoneyFields = graphql(`
  fragment MoneyFields on Money {
    amount
    currency
  }
`);

export const TermsFields = graphql(`
  fragment TermsFields on FeeSchedule {
    clientFeeBps
    supplierFeeBps
    partnerShareBps
    partnerShareMonths
    offerTimeoutSeconds
  }
`);

export const FeeFields = graphql(
  `
    fragment FeeFields on FeeBreakdown {
      price {
        ...MoneyFields
      }
      clientFee {
        ...MoneyFields
      }
      supplierFee {
        ...MoneyFields
      }
      clientPays {
        ...MoneyFields
      }
      supplierReceives {
        ...MoneyFields
      }
      hubNet {
        ...MoneyFields
      }
      partnerShares {
        partner {
          id
          name
        }
        referred {
          id
          name
        }
        amount {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);

export const OrderSummaryFields = graphql(
  `
    fragment OrderSummaryFields on Order {
      id
      status
      category
      region
      quantity
      deliverBy
      createdAt
      notes
      offerExpiresAt
      budget {
        ...MoneyFields
      }
      price {
        ...MoneyFields
      }
      client {
        id
        name
      }
      supplier {
        id
        name
      }
    }
  `,
  [MoneyFields],
);

// ---------------------------------------------------------------- session

export const SessionQuery = graphql(
  `
    query Session {
      me {
        id
        name
        roles
        vettingStatus
        joinedAt
        referredBy {
          id
          name
        }
        terms {
          ...TermsFields
        }
      }
      network {
        id
        name
        currency
        feeSchedule {
          ...TermsFields
        }
      }
    }
  `,
  [TermsFields],
);

// ---------------------------------------------------------------- orders

export const OrdersQuery = graphql(
  `
    query Orders($status: OrderStatus, $first: Int, $after: String) {
      orders(status: $status, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
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
  [OrderSummaryFields, FeeFields],
);

/** Fulfilled orders with their fees and when they were fulfilled, for the earnings chart. */
export const EarningsQuery = graphql(
  `
    query Earnings($first: Int, $after: String) {
      orders(status: FULFILLED, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            supplier {
              id
            }
            fees {
              price {
                ...MoneyFields
              }
              supplierFee {
                ...MoneyFields
              }
              supplierReceives {
                ...MoneyFields
              }
            }
            events {
              type
              at
            }
          }
        }
      }
    }
  `,
  [MoneyFields],
);

export const OrderQuery = graphql(
  `
    query Order($id: ID!) {
      order(id: $id) {
        ...OrderSummaryFields
        fees {
          ...FeeFields
        }
        events {
          type
          at
          actor
          detail
          supplier {
            id
            name
          }
        }
        routing {
          eligible
          reason
          score
          supplier {
            id
            name
          }
        }
      }
    }
  `,
  [OrderSummaryFields, FeeFields],
);

export const PlaceOrderMutation = graphql(
  `
    mutation PlaceOrder($input: OrderInput!) {
      placeOrder(input: $input) {
        ...OrderSummaryFields
      }
    }
  `,
  [OrderSummaryFields],
);

export const AcceptOrderMutation = graphql(
  `
    mutation AcceptOrder($orderId: ID!) {
      acceptOrder(orderId: $orderId) {
        ...OrderSummaryFields
        fees {
          ...FeeFields
        }
      }
    }
  `,
  [OrderSummaryFields, FeeFields],
);

export const DeclineOrderMutation = graphql(`
  mutation DeclineOrder($orderId: ID!, $reason: String) {
    declineOrder(orderId: $orderId, reason: $reason) {
      id
      status
    }
  }
`);

export const FulfilOrderMutation = graphql(`
  mutation FulfilOrder($orderId: ID!) {
    fulfilOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

export const CancelOrderMutation = graphql(`
  mutation CancelOrder($orderId: ID!, $reason: String) {
    cancelOrder(orderId: $orderId, reason: $reason) {
      id
      status
    }
  }
`);

export const RerouteOrderMutation = graphql(`
  mutation RerouteOrder($orderId: ID!) {
    rerouteOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

export const RefundOrderMutation = graphql(`
  mutation RefundOrder($orderId: ID!) {
    refundOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

/** Cheap counts per status (first: 0 costs one row each). */
export const OrderCountsQuery = graphql(`
  query OrderCounts {
    routing: orders(status: ROUTING, first: 0) {
      totalCount
    }
    offered: orders(status: OFFERED, first: 0) {
      totalCount
    }
    accepted: orders(status: ACCEPTED, first: 0) {
      totalCount
    }
    fulfilled: orders(status: FULFILLED, first: 0) {
      totalCount
    }
    refunded: orders(status: REFUNDED, first: 0) {
      totalCount
    }
    cancelled: orders(status: CANCELLED, first: 0) {
      totalCount
    }
    unroutable: orders(status: UNROUTABLE, first: 0) {
      totalCount
    }
  }
`);

/** Orders with their routing rows, for the operator's "today" figures. */
export const RoutingOutcomesQuery = graphql(`
  query RoutingOutcomes($first: Int, $after: String) {
    orders(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          createdAt
          routing {
            eligible
            reason
          }
        }
      }
    }
  }
`);

// ---------------------------------------------------------------- money: balances, statements, settlement

export const StatementFields = graphql(
  `
    fragment StatementFields on Statement {
      id
      currency
      periodStart
      periodEnd
      status
      ordersAsClient
      ordersAsSupplier
      member {
        id
        name
      }
      earnedBusiness {
        ...MoneyFields
      }
      supplierFees {
        ...MoneyFields
      }
      partnerShares {
        ...MoneyFields
      }
      purchases {
        ...MoneyFields
      }
      clientFees {
        ...MoneyFields
      }
      net {
        ...MoneyFields
      }
    }
  `,
  [MoneyFields],
);

export const BalanceAndStatementsQuery = graphql(
  `
    query BalanceAndStatements($memberId: ID!, $currency: String!) {
      balance(memberId: $memberId, currency: $currency) {
        currency
        owedToHub {
          ...MoneyFields
        }
        owedByHub {
          ...MoneyFields
        }
        net {
          ...MoneyFields
        }
      }
      statements(memberId: $memberId) {
        ...StatementFields
      }
    }
  `,
  [MoneyFields, StatementFields],
);

/** The currency's minor digits, read from how the API writes a zero balance ("0.00"). */
export const CurrencyProbeQuery = graphql(`
  query CurrencyProbe($memberId: ID!, $currency: String!) {
    balance(memberId: $memberId, currency: $currency) {
      owedToHub {
        amount
        currency
      }
    }
  }
`);

export const StatementCsvQuery = graphql(`
  query StatementCsv($statementId: ID!) {
    statementCsv(statementId: $statementId)
  }
`);

export const RunSettlementMutation = graphql(
  `
    mutation RunSettlement {
      runSettlement {
        id
        createdAt
        statements {
          ...StatementFields
        }
      }
    }
  `,
  [StatementFields],
);

export const MarkStatementPaidMutation = graphql(
  `
    mutation MarkStatementPaid($statementId: ID!) {
      markStatementPaid(statementId: $statementId) {
        ...StatementFields
      }
    }
  `,
  [StatementFields],
);

export const SettlementOverviewQuery = graphql(
  `
    query SettlementOverview($currency: String!) {
      settlementSchedule {
        intervalHours
      }
      trialBalance(currency: $currency) {
        currency
        balanced
        debits {
          ...MoneyFields
        }
        credits {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);

export const SetSettlementScheduleMutation = graphql(`
  mutation SetSettlementSchedule($intervalHours: Int) {
    setSettlementSchedule(intervalHours: $intervalHours) {
      intervalHours
    }
  }
`);

// ---------------------------------------------------------------- members, vetting, capabilities, terms

export const CapabilityFields = graphql(
  `
    fragment CapabilityFields on Capability {
      id
      category
      regions
      dailyCapacity
      leadTimeHours
      unitPrice {
        ...MoneyFields
      }
    }
  `,
  [MoneyFields],
);

export const MembersQuery = graphql(
  `
    query Members($role: Role, $first: Int, $after: String) {
      members(role: $role, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
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
        }
      }
    }
  `,
  [CapabilityFields, TermsFields],
);

export const MemberDetailQuery = graphql(
  `
    query MemberDetail($id: ID!) {
      member(id: $id) {
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
    }
  `,
  [CapabilityFields, TermsFields],
);

export const VettingHistoryQuery = graphql(`
  query VettingHistory($supplierId: ID!) {
    vettingHistory(supplierId: $supplierId) {
      id
      fromStatus
      toStatus
      note
      actor
      createdAt
    }
  }
`);

export const FeeTermHistoryQuery = graphql(`
  query FeeTermHistory($memberId: ID!) {
    feeTermHistory(memberId: $memberId) {
      id
      effectiveAt
      overrides {
        clientFeeBps
        supplierFeeBps
        partnerShareBps
        partnerShareMonths
        offerTimeoutSeconds
      }
    }
  }
`);

export const RegisterMemberMutation = graphql(`
  mutation RegisterMember($input: MemberInput!) {
    registerMember(input: $input) {
      id
      name
      roles
      vettingStatus
    }
  }
`);

export const SetMemberRolesMutation = graphql(`
  mutation SetMemberRoles($memberId: ID!, $roles: [Role!]!) {
    setMemberRoles(memberId: $memberId, roles: $roles) {
      id
      roles
      vettingStatus
    }
  }
`);

export const SetVettingStatusMutation = graphql(`
  mutation SetVettingStatus($supplierId: ID!, $status: VettingStatus!, $note: String) {
    setVettingStatus(supplierId: $supplierId, status: $status, note: $note) {
      id
      vettingStatus
    }
  }
`);

export const IssueApiKeyMutation = graphql(`
  mutation IssueApiKey($memberId: ID!) {
    issueApiKey(memberId: $memberId)
  }
`);

export const AddCapabilityMutation = graphql(
  `
    mutation AddCapability($input: CapabilityInput!) {
      addCapability(input: $input) {
        ...CapabilityFields
      }
    }
  `,
  [CapabilityFields],
);

export const UpdateCapabilityMutation = graphql(
  `
    mutation UpdateCapability($id: ID!, $input: CapabilityUpdateInput!) {
      updateCapability(id: $id, input: $input) {
        ...CapabilityFields
      }
    }
  `,
  [CapabilityFields],
);

export const RemoveCapabilityMutation = graphql(`
  mutation RemoveCapability($id: ID!) {
    removeCapability(id: $id) {
      id
    }
  }
`);

export const SetMemberTermsMutation = graphql(
  `
    mutation SetMemberTerms($memberId: ID!, $input: FeeScheduleInput!) {
      setMemberTerms(memberId: $memberId, input: $input) {
        id
        terms {
          ...TermsFields
        }
      }
    }
  `,
  [TermsFields],
);

/** Drops the member's own value of these fields: the network's schedule applies again (a new version in feeTermHistory). */
export const ClearMemberTermsMutation = graphql(
  `
    mutation ClearMemberTerms($memberId: ID!, $fields: [FeeTermField!]) {
      clearMemberTerms(memberId: $memberId, fields: $fields) {
        id
        terms {
          ...TermsFields
        }
      }
    }
  `,
  [TermsFields],
);

export const UpdateFeeScheduleMutation = graphql(
  `
    mutation UpdateFeeSchedule($input: FeeScheduleInput!) {
      updateFeeSchedule(input: $input) {
        id
        feeSchedule {
          ...TermsFields
        }
      }
    }
  `,
  [TermsFields],
);

// ---------------------------------------------------------------- relationship health and insight

export const HealthFields = graphql(
  `
    fragment HealthFields on RelationshipHealth {
      score
      trust
      credibility
      reliability
      intimacy
      selfOrientation
      atRisk
      signals
      windowDays
      computedAt
      valueToHub {
        ...MoneyFields
      }
      valueToMember {
        ...MoneyFields
      }
      acquisitionCostPerOrder {
        ...MoneyFields
      }
      acquisitionBaseline {
        ...MoneyFields
      }
      member {
        id
        name
        roles
      }
      measures {
        ordersFulfilled
        ordersPlaced
        offersAccepted
        offersDeclined
        offersExpired
        fulfilledOnTime
        fulfilledLate
        takeRate
        networkTakeRate
      }
    }
  `,
  [MoneyFields],
);

export const RelationshipHealthQuery = graphql(
  `
    query RelationshipHealth($memberId: ID!) {
      relationshipHealth(memberId: $memberId) {
        ...HealthFields
      }
    }
  `,
  [HealthFields],
);

export const SetAcquisitionBaselineMutation = graphql(
  `
    mutation SetAcquisitionBaseline($memberId: ID!, $amount: MoneyInput!) {
      setAcquisitionBaseline(memberId: $memberId, amount: $amount) {
        ...HealthFields
      }
    }
  `,
  [HealthFields],
);

export const NetworkInsightQuery = graphql(`
  query NetworkInsight($months: Int) {
    networkInsight(months: $months) {
      months
      acquisitionVsRetention {
        acquired
        lost
        net
        eroding
        summary
        lostPerAcquired
      }
      membership {
        month
        role
        joined
        lost
        net
      }
      cohorts {
        month
        joined
        retained
        retention
      }
    }
  }
`);

export const TrialBalanceQuery = graphql(
  `
    query TrialBalance($currency: String!) {
      trialBalance(currency: $currency) {
        currency
        balanced
        debits {
          ...MoneyFields
        }
        credits {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);
