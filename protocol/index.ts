export * from './primitives';
export * from './errors';
export * from './closeCodes';
export * from './messages';
export * from './auth';
export * from './identity';
export * from './ipc';
export * from './incomingIpc';
