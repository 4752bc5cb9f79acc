// Cold start module for @openai/agents-core: importing this module imports the library (see cold/agents-api.mjs).
import * as lib from '@openai/agents-core';
import { coldTrace } from './agents-api.mjs';

export const run = () => coldTrace(lib);
