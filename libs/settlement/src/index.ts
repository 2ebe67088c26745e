export * from './fees/fee-calculator';
