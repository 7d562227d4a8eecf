import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { createPubSub } from '@graphql-yoga/subscription';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/access.js';

/** The only place that names the federation version and the directives subgraphs may use. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

/** `__resolveReference` per entity type this subgraph can resolve. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any) => unknown }>;

export interface SubgraphSchemaOptions {
  // type-graphql resolver classes are untyped constructors by design.
  resolvers: NonEmptyArray<Function>;
  references?: ReferenceResolvers;
  orphanedTypes?: Function[];
}

/**
 * type-graphql → Federation 2 subgraph schema. Plain `printSchema` would drop `@key`, so the schema is printed
 * with its directives, the `@link` is prepended, and reference resolvers are merged into the resolver map.
 */
export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    authChecker,
    // Our subscriptions bring their own `subscribe` (the durable event feed), but type-graphql refuses to build
    // any subscription without a PubSub, so each schema gets an in-process one.
    pubSub: createPubSub(),
    validate: false,
    skipCheck: true,
  });
  const resolverMap: Record<string, object> = { ...createResolversMap(typeGraphqlSchema) };
  for (const [typeName, reference] of Object.entries(options.references ?? {})) {
    resolverMap[typeName] = { ...resolverMap[typeName], ...reference };
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphqlSchema)}`),
    // The map's shape is what buildSubgraphSchema expects; its exported type lives in a private path.
    resolvers: resolverMap as never,
  });
}
