import { Injectable } from '@nestjs/common';
import { Caller, networkOf } from '@tandem/auth';
import { LedgerService, payableAccount, receivableAccount } from '@tandem/ledger';
import { normalizeCurrency } from '@tandem/money';
import { SettlementPolicy } from '../settlement.policy';

export interface MemberBalance {
  currency: string;
  /** Open receivable: what the member owes as a client. */
  owedToHub: bigint;
  /** Open payable, as a positive amount: what the hub owes it as supplier and partner. */
  owedByHub: bigint;
  net: bigint;
}

@Injectable()
export class BalanceService {
  constructor(
    private readonly policy: SettlementPolicy,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * A member's open position: everything posted and not yet closed into a
   * statement, both roles netted. Reach is checked before the currency
   * (NOT_FOUND before BAD_USER_INPUT).
   */
  async balance(caller: Caller, memberId: string, currency: string): Promise<MemberBalance> {
    const networkId = await this.policy.reachMember(caller, memberId);
    const code = normalizeCurrency(currency, 'currency');
    const rec = receivableAccount(memberId);
    const pay = payableAccount(memberId);
    const open = await this.ledger.balances(networkId, code, [rec, pay]);
    const owedToHub = open.get(rec) ?? 0n;
    const owedByHub = -(open.get(pay) ?? 0n);
    return { currency: code, owedToHub, owedByHub, net: owedByHub - owedToHub };
  }

  trialBalance(caller: Caller, currency: string) {
    return this.ledger.trialBalance(networkOf(caller), normalizeCurrency(currency, 'currency'));
  }
}
