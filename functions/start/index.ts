// Starts riflow workflows from a timer trigger, a request-queue message (a CloudMonitor alert steps a spec; a riflow
// request), an EventBridge event (single or batched) or a direct call, through CloudFlow's StartExecution.
// Execution names come from the trigger, so a duplicate delivery starts nothing new. Event shapes and defaults:
// src/cloudflow/start-requests.ts. Result: {executions: [{flowName, executionName, source, started, status?, skipped?}]}.
import { createStartHandler } from '../../src/cloudflow/start-handler';

export const handler = createStartHandler();
