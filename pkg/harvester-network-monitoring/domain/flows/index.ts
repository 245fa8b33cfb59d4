/** The flow-data layer: querier client, SQL builders, endpoint enrichment, aggregation and graph model. */
export * from './constants';
export * from './schema';
export * from './ip';
export * from './sql';
export * from './query-types';
export * from './response';
export * from './querier-client';
export * from './queries';
export * from './endpoint';
export * from './enrich';
export * from './vm-networks';
export * from './categories';
export * from './aggregate';
export * from './graph';
