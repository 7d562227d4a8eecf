import 'reflect-metadata';
import { runSubgraphProcess } from '../../lib/server/run-service.js';
import { achievements } from './index.js';

runSubgraphProcess(achievements);
