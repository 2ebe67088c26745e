// Test fixtures of health's data, for specs of health and of the libraries above it.
export * from './health-history.fixture';
