import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FeeTermChangeEntity } from '../fee-terms/fee-term-change.entity';
import { NetworkEntity } from './network.entity';
import { NetworkService } from './network.service';

@Module({
  imports: [TypeOrmModule.forFeature([NetworkEntity, FeeTermChangeEntity])],
  providers: [NetworkService],
  exports: [NetworkService],
})
export class NetworkModule {}
