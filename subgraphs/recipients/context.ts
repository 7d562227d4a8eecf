import type { Db } from '../../lib/db/client.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { RecipientStore } from './db/store.js';
import type { RecipientLoaders } from './loaders.js';

export interface RecipientsContext extends RequestContext {
  db: Db;
  store: RecipientStore;
  loaders: RecipientLoaders;
}
