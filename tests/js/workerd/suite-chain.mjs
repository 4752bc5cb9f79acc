// The conformance suite with the processor chain as a Worker: importing edgetrace/processors
// makes the package load the module with the chain, so the whole suite runs against it too.
import * as processors from 'edgetrace/processors';
import { suiteWorker } from './suite.mjs';

export default suiteWorker(processors);
