import 'reflect-metadata';
import { runSubgraphProcess } from '../../lib/server/run-service.js';
import { verification } from './index.js';

runSubgraphProcess(verification);
