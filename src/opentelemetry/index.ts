// sagemaker-rx/opentelemetry: OpenTelemetry traces and metrics over the diagnostics channels
// (optional peer: @opentelemetry/api).
export { instrumentSageMakerRx, type InstrumentSageMakerRxConfig } from './instrument-sagemaker-rx.js';
export { ATTR as SAGEMAKER_RX_ATTRIBUTES, METRIC as SAGEMAKER_RX_METRICS, FIRST_CHUNK_EVENT } from './semantic-attributes.js';
