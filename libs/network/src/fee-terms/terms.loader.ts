import { Injectable } from '@nestjs/common';
import { notFound } from '@tandem/common';
import { RequestLoader } from '../shared/request.loader';
import { FeeSchedule } from './fee-schedule';
import { TermsService } from './terms.service';

/** Member.terms for every member of a response in one query. */
@Injectable()
export class TermsLoader extends RequestLoader<string, FeeSchedule> {
  constructor(private readonly terms: TermsService) {
    super();
  }

  load(ctx: object, memberId: string): Promise<FeeSchedule> {
    return this.loader(ctx).load(memberId);
  }

  protected async batch(memberIds: readonly string[]): Promise<(FeeSchedule | Error)[]> {
    const found = await this.terms.termsForMany(memberIds);
    return memberIds.map((id) => found.get(id) ?? notFound('Member'));
  }
}
