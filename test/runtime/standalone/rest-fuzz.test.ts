/** The REST fuzz suite (rest-fuzz-suite.ts) against a plain standalone worker: http, no authentication. */
import { defineRestFuzz } from './rest-fuzz-suite.js';

defineRestFuzz({ worker: () => ({}) });
