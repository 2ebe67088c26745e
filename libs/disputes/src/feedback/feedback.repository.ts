import { EntityManager } from 'typeorm';
import { selectRows } from '@tandem/persistence';

/** Disputes' table feedback: one row per order, author and subject. */
export interface FeedbackRow {
  id: string;
  network_id: string;
  order_id: string;
  author_id: string;
  subject: string;
  subject_member_id: string | null;
  rating: number;
  comment: string | null;
  created_at: Date;
}

const COLUMNS = 'id, network_id, order_id, author_id, subject, subject_member_id, rating, comment, created_at';

export const FeedbackRepository = {
  /** Inserts the feedback, or nothing when the author already rated this subject on this order (undefined). */
  async insertOnce(em: EntityManager, f: FeedbackRow): Promise<FeedbackRow | undefined> {
    const [row] = await selectRows<FeedbackRow>(
      em,
      `INSERT INTO feedback (id, network_id, order_id, author_id, subject, subject_member_id, rating, comment, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (order_id, author_id, subject) DO NOTHING
       RETURNING ${COLUMNS}`,
      [f.id, f.network_id, f.order_id, f.author_id, f.subject, f.subject_member_id, f.rating, f.comment, f.created_at],
    );
    return row;
  },

  /** The feedback on these orders, oldest first. */
  ofOrders(em: EntityManager, orderIds: readonly string[]): Promise<FeedbackRow[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return selectRows<FeedbackRow>(em, `SELECT ${COLUMNS} FROM feedback WHERE order_id = ANY($1::uuid[]) ORDER BY created_at, id`, [[...new Set(orderIds)]]);
  },
};
