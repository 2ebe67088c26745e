import { DynamicModule, Global, Module } from '@nestjs/common';
import { CONFIG, TandemConfig } from './config';

/** Makes the validated settings injectable as CONFIG. */
@Global()
@Module({})
export class TandemConfigModule {
  static forRoot(config: TandemConfig): DynamicModule {
    return { module: TandemConfigModule, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}
