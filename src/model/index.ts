/** The single source of SageMaker Runtime facts: operations, members, modelled errors, protocol headers. */
export * from './operations.js';
export * from './members.js';
export * from './errors.js';
export * from './http.js';
export * from './shapes.js';
