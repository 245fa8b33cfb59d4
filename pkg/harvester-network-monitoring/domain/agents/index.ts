export * from './kernel';
export * from './queries';
export * from './health';
export * from './load';
export * from './view';
export * from './controller-agents';
export * from './deepflow-exceptions';
