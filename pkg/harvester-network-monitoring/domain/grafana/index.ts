/** Grafana embedding: URL builder, dashboard catalog and the frame state machine. */
export * from './url';
export * from './catalog';
export * from './state';
