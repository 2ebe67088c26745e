import { Injectable } from '@nestjs/common';
import { notFound } from '@tandem/common';
import { RequestLoader } from '../shared/request.loader';
import { MemberObject, toMemberObject } from './member.object';
import { MemberService } from './member.service';

/**
 * Batches member lookups by id within one GraphQL request (one query for all
 * the Member fields of a list: Member.referredBy, Order.client, Statement.member...).
 * No reach check: a member reached through a visible object always resolves.
 */
@Injectable()
export class MemberLoader extends RequestLoader<string, MemberObject> {
  constructor(private readonly members: MemberService) {
    super();
  }

  /** `ctx` is the GraphQL context object (@Context()); the id must exist (NOT_FOUND otherwise). */
  load(ctx: object, id: string): Promise<MemberObject> {
    return this.loader(ctx).load(id);
  }

  loadMany(ctx: object, ids: readonly string[]): Promise<MemberObject[]> {
    return Promise.all(ids.map((id) => this.load(ctx, id)));
  }

  protected async batch(ids: readonly string[]): Promise<(MemberObject | Error)[]> {
    const rows = new Map((await this.members.findByIds(ids)).map((m) => [m.id, toMemberObject(m)]));
    return ids.map((id) => rows.get(id) ?? notFound('Member'));
  }
}
