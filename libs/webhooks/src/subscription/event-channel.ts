/** The PostgreSQL NOTIFY channel that carries order events to every API process's subscriptions (ids only). */
export const EVENTS_CHANNEL = 'tandem_events';
