import 'reflect-metadata';
import { runSubgraphProcess } from '../../lib/server/run-service.js';
import { recipients } from './index.js';

runSubgraphProcess(recipients);
