import { graphql } from './graphql';
import { CapabilityFields, MoneyFields } from './operations';

/*
 * Operations of the supplier's capabilities page and of the webhooks page,
 * typed against schema.graphql like operations.ts.
 */

// ---------------------------------------------------------------- capabilities and their reach

export const MyCapabilitiesQuery = graphql(
  `
    query MyCapabilities {
      me {
        id
        name
        vettingStatus
        capabilities {
          ...CapabilityFields
        }
      }
    }
  `,
  [CapabilityFields],
);

export const CapabilityReachQuery = graphql(
  `
    query CapabilityReach($memberId: ID!, $input: CapabilityReachInput!) {
      capabilityReach(memberId: $memberId, input: $input) {
        windowDays
        orders
        eligible
        eligibleAtAnyPrice
        excluded {
          reason
          orders
        }
        unitPrice {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);

export const SaveCapabilityMutation = graphql(
  `
    mutation SaveCapability($id: ID!, $input: CapabilityUpdateInput!) {
      updateCapability(id: $id, input: $input) {
        ...CapabilityFields
      }
    }
  `,
  [CapabilityFields],
);

/** The supplier's acquisition cost now (the health window) and per settled period (its statements), and its ratings. */
export const SupplierStandingQuery = graphql(
  `
    query SupplierStanding($memberId: ID!) {
      relationshipHealth(memberId: $memberId) {
        windowDays
        acquisitionCostPerOrder {
          ...MoneyFields
        }
        acquisitionBaseline {
          ...MoneyFields
        }
        ratingReceived
        ratingOfHub
        disputes
      }
      statements(memberId: $memberId) {
        id
        periodStart
        periodEnd
        currency
        ordersAsSupplier
        supplierFees {
          ...MoneyFields
        }
      }
    }
  `,
  [MoneyFields],
);

// ---------------------------------------------------------------- webhooks

export const WebhookEndpointFields = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    eventTypes
    enabled
    description
    createdAt
  }
`);

export const WebhookEndpointsQuery = graphql(
  `
    query WebhookEndpoints {
      webhookEndpoints {
        ...WebhookEndpointFields
      }
    }
  `,
  [WebhookEndpointFields],
);

/** The event types an endpoint may ask for, from the API (it publishes them; the portal keeps no copy). */
export const WebhookEventTypesQuery = graphql(`
  query WebhookEventTypes {
    webhookEventTypes
  }
`);

export const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($endpointId: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
    webhookDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          eventId
          eventType
          status
          attempts
          lastResponseStatus
          lastAttemptAt
          nextAttemptAt
          createdAt
        }
      }
    }
  }
`);

export const CreateWebhookEndpointMutation = graphql(
  `
    mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) {
        secret
        endpoint {
          ...WebhookEndpointFields
        }
      }
    }
  `,
  [WebhookEndpointFields],
);

export const UpdateWebhookEndpointMutation = graphql(
  `
    mutation UpdateWebhookEndpoint($id: ID!, $input: WebhookEndpointUpdateInput!) {
      updateWebhookEndpoint(id: $id, input: $input) {
        ...WebhookEndpointFields
      }
    }
  `,
  [WebhookEndpointFields],
);

export const DeleteWebhookEndpointMutation = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

export const RotateWebhookSecretMutation = graphql(
  `
    mutation RotateWebhookSecret($id: ID!) {
      rotateWebhookSecret(id: $id) {
        secret
        endpoint {
          ...WebhookEndpointFields
        }
      }
    }
  `,
  [WebhookEndpointFields],
);

export const RedeliverWebhookMutation = graphql(`
  mutation RedeliverWebhook($deliveryId: ID!) {
    redeliverWebhook(deliveryId: $deliveryId) {
      id
      status
      attempts
    }
  }
`);

export const SendTestWebhookMutation = graphql(`
  mutation SendTestWebhook($endpointId: ID!) {
    sendTestWebhook(endpointId: $endpointId) {
      id
      eventType
      status
    }
  }
`);
