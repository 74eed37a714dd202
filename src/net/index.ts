export * from './link.ts';
export * from './node.ts';
export * from './network.ts';
