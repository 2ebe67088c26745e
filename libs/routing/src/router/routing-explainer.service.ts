import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HOUR_MS } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import type { RoutingRow } from '../order/order.entity';
import { Candidate, MAX_ROUTING_ROWS, compareExcluded } from './candidate-finder.service';
import { CandidateRepository, ExclusionShape } from './candidate.repository';
import { capacityDay } from './capacity.service';
import { EXCLUSION_REASONS } from './exclusion-reason';
import { ExplanationRepository, ExplanationSourceRow } from './explanation.repository';

/** Due explanations one transaction writes. */
const BATCH = 200;
/** Tries again for the orders a batch found held by another transaction, this far apart. */
const HELD_RETRIES = 5;
const HELD_RETRY_MS = 20;

/**
 * How old the oldest due explanation may get before a run scans: a run first
 * waits until then, so orders that arrive together share one scan. The scan
 * reads the excluded rows reason by reason (CandidateRepository.staticExclusions):
 * a few ms when nearly all of a category is eligible, some tens of ms with a
 * few per cent excluded, up to about 0.3 s when most of a large category fails
 * one late reason. The wait follows the last scan's length: GATHER_PER_SCAN
 * times it keeps the scans to at most a third of one core at any rate of
 * orders (the usual short scans, under the GATHER_MS floor, to about a tenth),
 * and MAX_GATHER_MS with the scan and the writes stays within the
 * explanation's 2 s.
 */
export const GATHER_MS = 250;
export const MAX_GATHER_MS = 1_000;
export const GATHER_PER_SCAN = 2;

/** The wait before a run, from the longest scan of the last run that scanned. */
export function gatherAfterScan(lastScanMs: number): number {
  return Math.min(MAX_GATHER_MS, Math.max(GATHER_MS, GATHER_PER_SCAN * lastScanMs));
}

/**
 * Writes the rest of Order.routing right after an offer: the excluded rows,
 * which take a scan of the order's whole category. The offer's transaction
 * wrote the holders and the eligible by score and queued the order here
 * (routing_explanations, with an 'explain-routing' job in the outbox). Each run
 * takes every due explanation at once and scans once per shape (network,
 * category, currency, region, budget per unit, latest lead time, day), so a
 * burst of orders alike costs one scan, not one each.
 */
@Injectable()
export class RoutingExplainerService {
  /** The longest category scan of the last run that scanned, in ms. */
  private lastScanMs = 0;

  constructor(private readonly tx: TransactionRunner) {}

  /** Explains every due offer, a batch per transaction; returns how many were written. Runs any number of times. */
  async explainDue(gatherMs = gatherAfterScan(this.lastScanMs)): Promise<number> {
    if (gatherMs > 0) {
      const wait = await ExplanationRepository.untilOldestIsAged(this.tx.dataSource.manager, gatherMs);
      // Nothing due: an earlier run took this job's offer with its own (one statement, no transaction).
      if (wait === null) return 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    let written = 0;
    for (let retries = 0; ;) {
      const { seen, done, held } = await this.tx.run((em) => this.explainBatch(em));
      written += done;
      // A full batch that wrote something: more may be due. One whose every order was held made no progress, and
      // taking the next at once would only scan again: it waits like any held order.
      if (seen === BATCH && held < seen) continue;
      // Orders another transaction held (a pass, a decline: milliseconds) are tried again shortly; one held
      // longer is left to the next run or the reconcile sweep.
      if (held === 0 || ++retries > HELD_RETRIES) return written;
      await new Promise((r) => setTimeout(r, HELD_RETRY_MS));
    }
  }

  /**
   * Order.routing as a reader is to see it now: the stored rows, or, while the
   * explanation of the order's current offer is still due (the first few
   * hundred ms after an offer), those rows with the excluded ones worked out
   * here as the explainer will write them. A client that sees OFFERED sees the
   * whole routing. Read-only: the explainer still writes it.
   */
  async currentRoutings(orderIds: readonly string[]): Promise<Map<string, RoutingRow[]>> {
    const rows = await ExplanationRepository.routingsWithDue(this.tx.dataSource.manager, orderIds);
    const routings = new Map(rows.map((r) => [r.order_id, r.routing ?? []]));
    const due = rows.filter((r) => r.offer_id !== null);
    if (due.length === 0) return routings;
    const excludedFor = await this.tx.run(async (em) => (await this.excludedOf(em, due)).excludedFor);
    for (const row of due) routings.set(row.order_id, explainedRouting(row.routing ?? [], excludedFor.get(row.order_id) ?? []));
    return routings;
  }

  /**
   * The excluded rows of each order, one category scan per shape, in the
   * caller's transaction; with the longest scan's length.
   */
  private async excludedOf(em: EntityManager, due: readonly ExplanationSourceRow[]): Promise<{ excludedFor: Map<string, Candidate[]>; longestScan: number }> {
    // One scan per shape, in one process: a parallel plan would take both cores from the offers. No JIT: the
    // planner's guesses for the scan's lookups are far above what they read, and compiling would outlast running.
    // No wait for the WAL flush at commit: an explanation a crash loses leaves its due row, which the sweep writes again.
    await em.query(
      `SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true), set_config('synchronous_commit', 'off', true)`,
    );
    const byShape = new Map<string, { shape: ExclusionShape; rows: ExplanationSourceRow[] }>();
    for (const row of due) {
      const shape = shapeOf(row);
      const key = JSON.stringify(shape, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      const group = byShape.get(key) ?? { shape, rows: [] };
      group.rows.push(row);
      byShape.set(key, group);
    }
    const excludedFor = new Map<string, Candidate[]>();
    let longestScan = 0;
    for (const { shape, rows } of byShape.values()) {
      // Enough rows that each order still has 100 after dropping its holders and eligible (at most MAX_ROUTING_ROWS of them).
      const scanStarted = performance.now();
      const excluded = await CandidateRepository.staticExclusions(em, shape, EXCLUSION_REASONS, 2 * MAX_ROUTING_ROWS);
      longestScan = Math.max(longestScan, performance.now() - scanStarted);
      const clients = await CandidateRepository.staticReasonsOf(em, shape, [...new Set(rows.map((r) => r.client_id))]);
      const shared = excluded.map(asExcludedCandidate);
      for (const row of rows) {
        const own = clients.filter((c) => c.supplier_id === row.client_id && c.reason === null).map(asExcludedCandidate);
        excludedFor.set(row.order_id, own.length > 0 ? [...shared, ...own] : shared);
      }
    }
    return { excludedFor, longestScan };
  }

  private async explainBatch(em: EntityManager): Promise<{ seen: number; done: number; held: number }> {
    const due = await ExplanationRepository.due(em, BATCH);
    if (due.length === 0) return { seen: 0, done: 0, held: 0 };
    const { excludedFor, longestScan } = await this.excludedOf(em, due);
    this.lastScanMs = longestScan;
    // The batch's orders locked, its due rows cleared and its explanations written: three statements, whatever its size.
    // An order another transaction holds stays due for the next try. An order no longer at the offer that queued
    // it (a decline or expiry rewrote it itself) is left as it is.
    const steps = await ExplanationRepository.lockFreeSteps(
      em,
      due.map((r) => r.order_id),
    );
    const locked = due.filter((row) => steps.has(row.order_id));
    await ExplanationRepository.done(em, locked);
    const writes = locked.flatMap((row) => {
      const step = steps.get(row.order_id);
      return step?.current_offer_id === row.offer_id
        ? [{ orderId: row.order_id, routing: explainedRouting(step.routing, excludedFor.get(row.order_id) ?? []) }]
        : [];
    });
    await ExplanationRepository.writeRoutings(em, writes);
    return { seen: due.length, done: writes.length, held: due.length - locked.length };
  }
}

/** A row of the scan as a candidate of the explanation: excluded for its reason (a client of its own order: SELF). */
function asExcludedCandidate(e: { supplier_id: string; name: string; capability_id: string; reason: string | null }): Candidate {
  return { supplierId: e.supplier_id, name: e.name, capabilityId: e.capability_id, priceMinor: 0n, reason: (e.reason ?? 'SELF') as Candidate['reason'] };
}

/** The order-independent part of an order's rules, as its routing pass saw them (at the offer's time). */
export function shapeOf(
  row: Pick<ExplanationSourceRow, 'network_id' | 'category' | 'currency' | 'region' | 'quantity' | 'budget_minor' | 'deliver_by' | 'offered_at'>,
): ExclusionShape {
  const deliverBy = new Date(row.deliver_by);
  return {
    networkId: row.network_id,
    category: row.category,
    currency: row.currency,
    region: row.region,
    maxUnitPriceMinor: BigInt(row.budget_minor) / BigInt(row.quantity),
    // now + L hours > deliver_by exactly when L > (deliver_by - now) / 1 h, and L is a whole number of hours.
    maxLeadHours: Math.floor((deliverBy.getTime() - new Date(row.offered_at).getTime()) / HOUR_MS),
    day: capacityDay(deliverBy),
  };
}

/**
 * The offer's rows (the holders: those that passed and the one holding it, then
 * the eligible by score) followed by the excluded in their fixed order, at most
 * 100 rows. Rows the offer's pass wrote as excluded (a reservation that failed)
 * are replaced by what the scan says now; so is a previous explanation.
 */
export function explainedRouting(current: RoutingRow[], excluded: Candidate[]): RoutingRow[] {
  const kept = current.filter((r) => r.eligible || r.reason === 'DECLINED' || r.reason === 'EXPIRED');
  const listed = new Set(kept.map((r) => r.supplierId));
  const rest = excluded
    .filter((c) => !listed.has(c.supplierId))
    .sort(compareExcluded)
    .map((c) => ({ supplierId: c.supplierId, eligible: false, reason: c.reason, score: null }));
  return [...kept, ...rest].slice(0, MAX_ROUTING_ROWS);
}
