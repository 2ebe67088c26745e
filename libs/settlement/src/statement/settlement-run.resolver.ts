import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { SettlementScheduleObject } from '../schedule/settlement-schedule.object';
import { SettlementScheduleService } from '../schedule/settlement-schedule.service';
import { SettlementRunObject } from './settlement-run.object';
import { SettlementRunService } from './settlement-run.service';
import { toStatementObject } from './statement.object';

@Resolver(() => SettlementRunObject)
export class SettlementRunResolver {
  constructor(
    private readonly runs: SettlementRunService,
    private readonly schedules: SettlementScheduleService,
  ) {}

  @Mutation(() => SettlementRunObject, { description: "Operator: closes every member's posted activity not yet in a statement into statements." })
  @Allow('OPERATOR')
  async runSettlement(@CurrentCaller() caller: Caller): Promise<SettlementRunObject> {
    const { run, statements } = await this.runs.run(networkOf(caller));
    return { id: run.id, createdAt: run.createdAt, statements: statements.map(toStatementObject) };
  }

  @Mutation(() => SettlementScheduleObject, { description: 'Operator: run settlement every intervalHours hours; 0 or null turns it off.' })
  @Allow('OPERATOR')
  async setSettlementSchedule(
    @CurrentCaller() caller: Caller,
    @Args('intervalHours', { type: () => Int, nullable: true }) intervalHours: number | null,
  ): Promise<SettlementScheduleObject> {
    return { intervalHours: await this.schedules.set(networkOf(caller), intervalHours) };
  }

  @Query(() => SettlementScheduleObject, { description: "Operator: the network's settlement schedule." })
  @Allow('OPERATOR')
  async settlementSchedule(@CurrentCaller() caller: Caller): Promise<SettlementScheduleObject> {
    return { intervalHours: await this.schedules.intervalHours(networkOf(caller)) };
  }
}
