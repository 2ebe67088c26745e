import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, clockFor } from './clock';
import { CONFIG, TandemConfig } from './config';

/** Makes the validated settings injectable as CONFIG, and the one Clock they choose. */
@Global()
@Module({})
export class TandemConfigModule {
  static forRoot(config: TandemConfig): DynamicModule {
    return {
      module: TandemConfigModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: Clock, useValue: clockFor(config) },
      ],
      exports: [CONFIG, Clock],
    };
  }
}
