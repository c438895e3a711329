// The daemon ⇄ relay wire: binary routing messages, registration messages, close codes.
export * from './codec.js';
export * from './register.js';
