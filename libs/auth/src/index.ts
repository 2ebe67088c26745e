export * from './caller';
export * from './api-key';
export type { ApiKey } from './api-key.repository';
export * from './api-key.service';
export * from './access.guard';
export * from './auth.module';
