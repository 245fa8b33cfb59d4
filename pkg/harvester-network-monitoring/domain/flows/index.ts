/** The flow-data layer: querier client, SQL builders, endpoint enrichment, aggregation and graph model. */
export * from './query/constants';
export * from './query/schema';
export * from '../net/ip';
export * from './query/sql';
export * from './query/query-types';
export * from './query/response';
export * from './query/querier-client';
export * from './query/queries';
export * from './enrichment/endpoint';
export * from './enrichment/enrich';
export * from './enrichment/vm-networks';
export * from './enrichment/categories';
export * from './enrichment/aggregate';
export * from './graph/graph';
