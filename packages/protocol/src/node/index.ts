// Node-only helpers: file locations and the unix-socket client.
export * from './paths.js';
export * from './socket-client.js';
export * from './aead.js';
export * from './package-version.js';
