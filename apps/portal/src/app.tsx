import { Suspense, useEffect, useRef, type RefObject, type ReactNode } from 'react';
import { Loading } from './components/feedback';
import { hrefOf, useRoute } from './hooks/use-route';
import { roleWords } from './lib/words';
import { LoadBoundary } from './components/load-boundary';
import {
  CapabilitiesPage,
  DisputesPage,
  EarningsPage,
  FeesPage,
  HealthPage,
  MemberPage,
  MembersPage,
  OffersPage,
  OrderPage,
  OrdersPage,
  OverviewPage,
  RegisterMemberPage,
  PlaceOrderPage,
  ReferralsPage,
  RelationshipsPage,
  SettlementPage,
  StatementsPage,
  WebhooksPage,
  preloadPagesFor,
  preloadSharedPages,
} from './pages/lazy-pages';
import { SignInPage } from './pages/sign-in.page';
import { SessionProvider, useSession, useSignedIn } from './session/session-context';
import { sectionsFor, type Identity } from './session/session';

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { identity, restoring } = useSession();
  // The pages come in chunks of their own: fetch this key's as soon as it is known.
  useEffect(() => {
    if (restoring) preloadSharedPages();
    if (identity) preloadPagesFor(identity);
  }, [identity, restoring]);
  if (restoring) {
    return (
      <main id="main" className="sign-in">
        <Loading label="Checking your key…" />
      </main>
    );
  }
  if (!identity) return <SignInPage />;
  return <SignedIn />;
}

/** The page for a route, among the sections this key may open; anything else falls back to the first. */
function pageFor(identity: Identity, path: string[]): ReactNode {
  const [section, id] = path;
  const allowed = sectionsFor(identity).map((s) => s.path);
  const open = allowed.includes(section) ? section : allowed[0];
  if (open === 'orders' && id) return <OrderPage id={id} />;
  if (open === 'members' && id === 'new') return <RegisterMemberPage />;
  if (open === 'members' && id) return <MemberPage id={id} />;
  switch (open) {
    case 'overview':
      return <OverviewPage />;
    case 'members':
      return <MembersPage />;
    case 'orders':
      return <OrdersPage />;
    case 'fees':
      return <FeesPage />;
    case 'settlement':
      return <SettlementPage />;
    case 'relationships':
      return <RelationshipsPage />;
    case 'disputes':
      return <DisputesPage />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'capabilities':
      return <CapabilitiesPage />;
    case 'offers':
      return <OffersPage />;
    case 'place-order':
      return <PlaceOrderPage />;
    case 'earnings':
      return <EarningsPage />;
    case 'referrals':
      return <ReferralsPage />;
    case 'statements':
      return <StatementsPage />;
    default:
      return <HealthPage />;
  }
}

function SignedIn() {
  const { identity } = useSignedIn();
  const { signOut } = useSession();
  const path = useRoute();
  const sections = sectionsFor(identity);
  const current = sections.some((s) => s.path === path[0]) ? path[0] : sections[0].path;
  const main = useRef<HTMLElement>(null);
  const route = path.join('/');
  // The route the heading focus was last settled for: the one arrived at (sign-in or a reload) counts as settled.
  const focusedRoute = useRef(route);

  const who =
    identity.kind === 'operator'
      ? `Operator of ${identity.network.name}`
      : `${identity.member.name} · ${identity.member.roles.map(roleWords).join(', ')} · ${identity.network.name}`;

  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo" />
          Tandem
        </div>
        <p className="who" data-testid="who">
          {who}
        </p>
        <button type="button" className="link-button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Sections" className="sections">
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <a href={hrefOf(s.path)} aria-current={s.path === current ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <LoadBoundary resetKey={route}>
          <Suspense fallback={<Loading />}>
            {pageFor(identity, path)}
            <FocusHeading key={route} route={route} main={main} focusedRoute={focusedRoute} />
          </Suspense>
        </LoadBoundary>
      </main>
    </>
  );
}

/**
 * After navigation, moves focus to the new page's heading so screen readers
 * announce it. It sits beside the page inside the Suspense boundary, so it
 * runs once the page's chunk has arrived and its heading exists. On the first
 * arrival (sign-in, a reload) focus stays where the browser put it, so the
 * first Tab reaches the skip link. It acts once per route change, by route
 * rather than by counting runs: an effect may run again for the same route
 * (StrictMode, a page that suspends again once revealed).
 */
function FocusHeading({ route, main, focusedRoute }: { route: string; main: RefObject<HTMLElement | null>; focusedRoute: RefObject<string> }) {
  useEffect(() => {
    if (focusedRoute.current === route) return;
    focusedRoute.current = route;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route, main, focusedRoute]);
  return null;
}
