export * from './caller';
export * from './api-key';
export * from './api-key.entity';
export * from './api-key.service';
export * from './access.guard';
export * from './auth.module';
