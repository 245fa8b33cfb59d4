/** Grafana embedding: URL builder, dashboard catalogue and the frame state machine. */
export * from './url';
export * from './catalogue';
export * from './state';
