// Cold start module for OpenTelemetry JS: importing this module imports api + sdk-trace-base (see
// cold/otel-api.mjs).
import * as api from '@opentelemetry/api';
import * as sdk from '@opentelemetry/sdk-trace-base';
import { coldSpans } from './otel-api.mjs';

export const run = () => coldSpans(api, sdk);
