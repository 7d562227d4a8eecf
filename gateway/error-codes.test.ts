import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useClosedErrorCodes } from './error-codes.js';

let gateway: InMemoryGateway;
beforeAll(async () => {
  gateway = await createInMemoryGateway({
    typeDefs: `${FEDERATION_LINK} type Query { me: String! secret: String! odd: String } type Mutation { rename(name: String!): String! }`,
    resolvers: {
      Query: {
        me: () => 'ANONYMOUS',
        secret: () => {
          throw new GraphQLError('Authentication is required', { extensions: { code: 'UNAUTHENTICATED' } });
        },
        odd: () => {
          throw new GraphQLError('A library error', { extensions: { code: 'SOMETHING_FOREIGN' } });
        },
      },
      Mutation: {
        rename: () => {
          throw new GraphQLError('name must not be empty', { extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
        },
      },
    },
    plugins: [useClosedErrorCodes()],
  });
});
afterAll(() => gateway?.dispose());

describe('useClosedErrorCodes', () => {
  test('a subgraph answer nulled by a refused non-null field keeps the refusal, not a made-up internal error', async () => {
    const answer = await gateway.post({ query: '{ me secret }' });
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors.map((error: any) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  test('a refusal the gateway reports itself comes through once, with its details', async () => {
    const answer = await gateway.post({ query: 'mutation { rename(name: "") }' });
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  test('a code outside the list becomes INTERNAL_SERVER_ERROR', async () => {
    const answer = await gateway.post({ query: '{ odd }' });
    expect(answer.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  test('malformed JSON and batches are BAD_REQUEST 400 without the parser’s message', async () => {
    for (const body of ['{"query": ', '[{"query":"{ me }"},{"query":"{ me }"}]']) {
      const answer = await gateway.post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    }
  });
});
