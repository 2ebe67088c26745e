import { lazy } from 'react';
import { sectionsFor, type Identity } from '../session/session';

/*
 * The signed-in pages load on demand, one chunk per role area, so the sign-in
 * page needs only the entry chunk. Once a key is known its areas are fetched
 * at once (preloadPagesFor), so moving between sections does not wait.
 */
const areas = {
  operator: () => import('./operator/operator.area'),
  supplier: () => import('./supplier/supplier.area'),
  client: () => import('./client/place-order.page'),
  partner: () => import('./partner/referrals.page'),
  shared: () => import('./shared.area'),
};

type Area = keyof typeof areas;

/** The area each section's page is in (sectionsFor's paths; members/<id> and orders/<id> share their list's area). */
const AREA_OF_SECTION: Record<string, Area> = {
  overview: 'operator',
  members: 'operator',
  fees: 'operator',
  settlement: 'operator',
  relationships: 'operator',
  disputes: 'operator',
  capabilities: 'supplier',
  webhooks: 'shared',
  offers: 'supplier',
  earnings: 'supplier',
  'place-order': 'client',
  referrals: 'partner',
  orders: 'shared',
  statements: 'shared',
  health: 'shared',
};

export const OverviewPage = lazy(() => areas.operator().then((m) => ({ default: m.OverviewPage })));
export const MembersPage = lazy(() => areas.operator().then((m) => ({ default: m.MembersPage })));
export const MemberPage = lazy(() => areas.operator().then((m) => ({ default: m.MemberPage })));
export const FeesPage = lazy(() => areas.operator().then((m) => ({ default: m.FeesPage })));
export const SettlementPage = lazy(() => areas.operator().then((m) => ({ default: m.SettlementPage })));
export const RelationshipsPage = lazy(() => areas.operator().then((m) => ({ default: m.RelationshipsPage })));
export const DisputesPage = lazy(() => areas.operator().then((m) => ({ default: m.DisputesPage })));
export const RegisterMemberPage = lazy(() => areas.operator().then((m) => ({ default: m.RegisterMemberPage })));
export const CapabilitiesPage = lazy(() => areas.supplier().then((m) => ({ default: m.CapabilitiesPage })));
export const WebhooksPage = lazy(() => areas.shared().then((m) => ({ default: m.WebhooksPage })));
export const OffersPage = lazy(() => areas.supplier().then((m) => ({ default: m.OffersPage })));
export const EarningsPage = lazy(() => areas.supplier().then((m) => ({ default: m.EarningsPage })));
export const PlaceOrderPage = lazy(() => areas.client().then((m) => ({ default: m.PlaceOrderPage })));
export const ReferralsPage = lazy(() => areas.partner().then((m) => ({ default: m.ReferralsPage })));
export const OrdersPage = lazy(() => areas.shared().then((m) => ({ default: m.OrdersPage })));
export const OrderPage = lazy(() => areas.shared().then((m) => ({ default: m.OrderPage })));
export const StatementsPage = lazy(() => areas.shared().then((m) => ({ default: m.StatementsPage })));
export const HealthPage = lazy(() => areas.shared().then((m) => ({ default: m.HealthPage })));

const started = new Set<Area>();

function preload(area: Area): void {
  if (started.has(area)) return;
  started.add(area);
  // A failed fetch is not fatal here: the page asks again when it is opened.
  areas[area]().catch(() => started.delete(area));
}

/** Every page every key opens (orders, statements, health): worth fetching while a sign-in is being checked. */
export function preloadSharedPages(): void {
  preload('shared');
}

/** Fetches the areas of every section this key opens. */
export function preloadPagesFor(identity: Identity): void {
  for (const section of sectionsFor(identity)) preload(AREA_OF_SECTION[section.path]);
}
