// A supplier's own pages, one chunk loaded after a supplier key signs in (see ../lazy-pages.ts).
export { CapabilitiesPage } from './capabilities.page';
export { EarningsPage } from './earnings.page';
export { OffersPage } from './offers.page';
