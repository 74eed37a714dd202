export * from './simulator.ts';
export * from './random.ts';
export * from './distribution.ts';
export * from './time.ts';
export * from './fifo.ts';
