import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access.guard';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyService } from './api-key.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  providers: [ApiKeyService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [ApiKeyService],
})
export class AuthModule {}
