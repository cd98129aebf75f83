export * from './primitives';
export * from './errors';
export * from './messages';
export * from './auth';
export * from './identity';
export * from './ipc';
export * from './incomingIpc';
