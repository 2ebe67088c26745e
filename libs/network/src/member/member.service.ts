import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKeyService, Caller } from '@tandem/auth';
import { Clock, Page, ROLES, Role, badInput, decodeCursor, isRole, isUuid, notFound, pageSize, requireName, toPage, VettingStatus } from '@tandem/common';
import { TransactionRunner, entityRows, selectRows } from '@tandem/persistence';
import { SupplierStatusListeners } from '../vetting/supplier-status.listeners';
import { VettingService } from '../vetting/vetting.service';
import { MemberEntity } from './member.entity';
import { MemberPolicy } from './member.policy';
import { findMember } from './member.queries';

export interface RegisterMemberInput {
  name: string;
  roles: readonly Role[];
  referredById?: string | null;
}

export interface MemberListArgs {
  role?: Role | null;
  /** Part of the name, any case (beyond the contract). */
  search?: string | null;
  /** Suppliers in this vetting status (beyond the contract). */
  vettingStatus?: VettingStatus | null;
  first?: number | null;
  after?: string | null;
}

/** At least one role; duplicates dropped; kept in the canonical order CLIENT, SUPPLIER, PARTNER. */
export function normalizeRoles(roles: readonly Role[] | null | undefined): Role[] {
  if (!Array.isArray(roles) || roles.length === 0) throw badInput('a member needs at least one role', 'roles');
  for (const r of roles) if (!isRole(r)) throw badInput(`unknown role ${String(r).slice(0, 20)}`, 'roles');
  return ROLES.filter((r) => roles.includes(r));
}

/** The longest name part a member search takes; a member's name is at most 200 characters. */
export const MAX_MEMBER_SEARCH = 200;

/**
 * A name search as an ILIKE pattern: trimmed, 1 to MAX_MEMBER_SEARCH characters,
 * its own %, _ and \ matched literally; blank is no search.
 */
export function memberSearch(raw: string | null | undefined): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  if ([...text].length > MAX_MEMBER_SEARCH) throw badInput(`search must be at most ${MAX_MEMBER_SEARCH} characters`, 'search');
  if (text.includes('\0')) throw badInput('search must not contain NUL', 'search');
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Members of a network: registration, roles, referrals and lookups within the caller's reach. */
@Injectable()
export class MemberService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly policy: MemberPolicy,
    private readonly vetting: VettingService,
    private readonly listeners: SupplierStatusListeners,
    private readonly keys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  /** A member of the network, or NOT_FOUND. Pass `em` to read inside a transaction. */
  get(networkId: string, id: string, em: EntityManager = this.dataSource.manager): Promise<MemberEntity> {
    return findMember(em, networkId, id);
  }

  /** The member a member key belongs to; null for an operator key. */
  async me(caller: Caller): Promise<MemberEntity | null> {
    if (caller.kind !== 'MEMBER') return null;
    return findMember(this.dataSource.manager, caller.networkId, caller.memberId);
  }

  /** A member the caller may look up (MemberPolicy.canSee), or NOT_FOUND. */
  async getVisible(caller: Caller, id: string): Promise<MemberEntity> {
    if (caller.kind === 'ADMIN') throw notFound('Member');
    const member = await findMember(this.dataSource.manager, caller.networkId, id);
    if (!this.policy.canSee(caller, member)) throw notFound('Member');
    return member;
  }

  /** Rows by id, in no particular order; unknown ids are left out. */
  async findByIds(ids: readonly string[]): Promise<MemberEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    // Plain SQL: every page of orders, disputes or relationships looks its members up here (MemberLoader).
    const members = entityRows(this.dataSource, MemberEntity);
    const rows = await selectRows<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT ${members.columns('m')} FROM members m WHERE m.id = ANY ($1::uuid[])`,
      [valid],
    );
    return rows.map((r) => members.map(r));
  }

  /** The members the caller reaches, ordered by (created_at, id); totalCount counts the whole filtered set. */
  async list(caller: Caller, args: MemberListArgs): Promise<Page<MemberEntity>> {
    const size = pageSize(args.first);
    const cursor = args.after ? decodeCursor(args.after) : null;
    if (cursor && !isUuid(cursor.id)) throw badInput('after is not a cursor from this list', 'after');
    const scope = this.policy.filter(caller, 'm');
    const qb = this.dataSource.getRepository(MemberEntity).createQueryBuilder('m').where(scope.sql, scope.params);
    if (args.role) qb.andWhere(':role = ANY(m.roles)', { role: args.role });
    const search = memberSearch(args.search);
    if (search) qb.andWhere("m.name ILIKE :search ESCAPE '\\'", { search });
    if (args.vettingStatus) qb.andWhere('m.vetting_status = :vettingStatus', { vettingStatus: args.vettingStatus });
    const totalCount = await qb.clone().getCount();
    if (cursor) qb.andWhere('(m.created_at, m.id) > (:afterAt, :afterId)', { afterAt: cursor.createdAt, afterId: cursor.id });
    const rows = await qb
      .orderBy('m.createdAt', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(size + 1)
      .getMany();
    return toPage(rows, size, totalCount, cursor);
  }

  /**
   * Registers a member. The name is stored verbatim. A referrer must be a
   * partner of the same network: an id that is not one of the network's members
   * is NOT_FOUND, a member that is not a partner BAD_USER_INPUT. A supplier
   * starts APPLIED, recorded as its first vetting event.
   */
  async register(networkId: string, actor: string, input: RegisterMemberInput): Promise<MemberEntity> {
    return this.tx.run(async (em) => {
      // FOR SHARE: the referrer cannot lose its PARTNER role before this commits.
      const referrer = input.referredById == null ? null : await findMember(em, networkId, input.referredById, 'share');
      const name = requireName(input.name);
      const roles = normalizeRoles(input.roles);
      if (referrer && !referrer.roles.includes('PARTNER')) {
        throw badInput('referredById must be a partner of this network', 'referredById');
      }
      // Milliseconds, as JavaScript keeps them, so list cursors compare exactly.
      const now = this.clock.now();
      const member = em.create(MemberEntity, {
        id: randomUUID(),
        networkId,
        name,
        roles,
        vettingStatus: roles.includes('SUPPLIER') ? 'APPLIED' : null,
        referredById: referrer?.id ?? null,
        termOverrides: {},
        acquisitionBaselineMinor: null,
        joinedAt: now,
        createdAt: now,
      });
      await em.insert(MemberEntity, member);
      if (member.vettingStatus) {
        await this.vetting.record(em, { networkId, memberId: member.id, from: null, to: 'APPLIED', note: 'registered', actor });
      }
      return member;
    });
  }

  /**
   * Replaces a member's roles. Gaining SUPPLIER starts vetting again at APPLIED;
   * losing it clears the status (the vetting history stays) and tells the
   * SupplierStatusListeners, so its open offers are withdrawn.
   */
  async setRoles(networkId: string, actor: string, memberId: string, roles: readonly Role[]): Promise<MemberEntity> {
    const { updated, eviction } = await this.tx.run(async (em) => {
      const member = await findMember(em, networkId, memberId, 'update');
      const next = normalizeRoles(roles);
      const wasSupplier = member.roles.includes('SUPPLIER');
      const isSupplier = next.includes('SUPPLIER');
      const vettingStatus = isSupplier ? (wasSupplier ? member.vettingStatus : 'APPLIED') : null;
      await em.update(MemberEntity, { id: member.id }, { roles: next, vettingStatus });
      if (isSupplier && !wasSupplier) {
        await this.vetting.record(em, { networkId, memberId: member.id, from: null, to: 'APPLIED', note: 'SUPPLIER role added', actor });
      }
      if (isSupplier !== wasSupplier) await this.listeners.notify(em, member.id, vettingStatus);
      // Every API process forgets the member's keys when this commits: the next request anywhere acts in the new roles.
      return { updated: { ...member, roles: next, vettingStatus }, eviction: await this.keys.memberChanged(em, member.id) };
    });
    await this.keys.forget(eviction);
    return updated;
  }
}
