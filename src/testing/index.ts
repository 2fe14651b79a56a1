// sagemaker-rx/testing: helpers for users' own tests.

// An emulator and a client wired to it
export { startTestEmulator, type TestEmulator } from './test-emulator.js';

// A transport that answers from a script (no sockets)
export { scriptedTransport, type ScriptedAnswer, type ScriptedReply, type ScriptedTransport } from './scripted-transport.js';

// Event and error builders for marble tests
export {
  sentEvent,
  responseEvent,
  streamResponseEvent,
  errorEvent,
  retryEvent,
  queuedEvent,
  headersEvent,
  chunkEvent,
  acceptedEvent,
  serviceError,
  SERVICE_ERROR_STATUS,
} from './event-builders.js';
