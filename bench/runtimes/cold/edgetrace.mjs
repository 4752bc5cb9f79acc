// Cold start module for edgetrace: importing this module imports the library (see cold/agents-api.mjs).
import * as lib from 'edgetrace';
import { coldTrace } from './agents-api.mjs';

export const run = () => coldTrace(lib);
