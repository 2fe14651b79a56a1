// sagemaker-rx/emulator: a local SageMaker Runtime server for tests, demos and the CLI.

// Start and configure
export { startEmulator } from './start-emulator.js';
export { EMULATOR_CREDENTIALS, EMULATOR_REGION, DEFAULT_GENERATOR_TEXT } from './constants.js';
export { loadEmulatorConfig, parseEmulatorConfig, validateEmulatorOptions, EmulatorConfigError } from './emulator-config.js';
export type { ValidateEmulatorOptionsConfig } from './emulator-config.js';

// Types
export type {
  Emulator,
  EmulatorOptions,
  EmulatorCredential,
  EmulatorStats,
  EndpointConfig,
  EndpointModel,
  EndpointStats,
  VariantConfig,
  HostedModelConfig,
  EmulatorObjectStore,
  StoredObject,
  FaultConfig,
  FaultName,
  GeneratorConfig,
  StreamFaultConfig,
  SplitAt,
  BuiltInModelName,
  ModelFunction,
  ModelRequest,
  ModelResponse,
  StreamModelFunction,
  StreamModelResponse,
  StreamChunk,
  RecordedRequest,
} from './types.js';

// Built-in models, usable in users' own model functions
export { scoreSentiment, type SentimentResult } from './models/sentiment-model.js';
export { ECHO_HEADERS_FLAG, ECHO_HEADERS_KEY } from './models/echo-model.js';
