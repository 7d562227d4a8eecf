import 'reflect-metadata';
import { runSubgraphProcess } from '../../lib/server/run-service.js';
import { issuers } from './index.js';

runSubgraphProcess(issuers);
