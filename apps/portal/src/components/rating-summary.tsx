import { RatingsQuery } from '../graphql/disputes-operations';
import { useQuery } from '../hooks/use-query';
import { Fact } from './fact';
import { QueryView } from './feedback';
import { Section } from './page';

/** An average rating in words: 4.5 -> "4.5 / 5"; none yet -> the given words. */
export function ratingWords(rating: number | null | undefined, none = 'none yet'): string {
  return rating === null || rating === undefined ? none : `${rating.toFixed(1)} / 5`;
}

/**
 * The ratings side of a relationship (RelationshipHealth's ratingReceived,
 * ratingOfHub and disputes): what the other parties think of the member, what
 * the member thinks of the hub, and how many of its orders were disputed.
 * `own`: the member reading about itself.
 */
export function RatingsPanel({ memberId, own }: { memberId: string; own: boolean }) {
  const q = useQuery(RatingsQuery, { memberId });
  return (
    <Section title="Ratings" id="ratings">
      <QueryView state={q} label="Loading ratings…">
        {({ relationshipHealth: h }) => (
          <>
            <dl className="totals ratings">
              <Fact term={own ? 'How others rate you' : `How others rate ${h.member.name}`}>
                <span data-testid="rating-received">{ratingWords(h.ratingReceived)}</span>
              </Fact>
              <Fact term={own ? 'How you rate the hub' : `How ${h.member.name} rates the hub`}>
                <span data-testid="rating-of-hub">{ratingWords(h.ratingOfHub)}</span>
              </Fact>
              <Fact term={own ? 'Disputes on your orders' : 'Disputes on its orders'}>
                <span data-testid="disputes-count">{h.disputes}</span>
              </Fact>
            </dl>
            <p className="muted">
              Averages of the ratings (1 worst, 5 best) left after orders in the last {h.windowDays} days. They count in the trust equation: ratings received in
              credibility, a low rating of the hub in its self-orientation.
            </p>
          </>
        )}
      </QueryView>
    </Section>
  );
}
