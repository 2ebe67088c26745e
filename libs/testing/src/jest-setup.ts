import 'reflect-metadata';

process.env.NODE_ENV = 'test';
// Server-backed suites boot Nest apps, run migrations and wait on background jobs.
jest.setTimeout(60_000);
