// Pages more than one kind of key opens (orders, statements, relationship health), one chunk (see lazy-pages.ts).
export { HealthPage } from './member/health.page';
export { StatementsPage } from './member/statements.page';
export { OrderPage } from './order.page';
export { OrdersPage } from './orders.page';
export { WebhooksPage } from './webhooks.page';
