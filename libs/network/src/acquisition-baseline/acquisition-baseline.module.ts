import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { AcquisitionBaselineService } from './acquisition-baseline.service';

/** Members' acquisition baselines: set by the setAcquisitionBaseline mutation (health's resolver), read by health. */
@Module({
  imports: [NetworkModule],
  providers: [AcquisitionBaselineService],
  exports: [AcquisitionBaselineService],
})
export class AcquisitionBaselineModule {}
