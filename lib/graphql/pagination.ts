import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AppError } from '../errors.js';
import { isUuid } from '../ids.js';

/** @default 20 */
export const DEFAULT_PAGE_SIZE = 20;
/** @default 100 // a bigger page is a BAD_USER_INPUT, not a silent truncation */
export const MAX_PAGE_SIZE = 100;

@Directive('@shareable')
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an endCursor from a previous page).' })
  after?: string | null;
}

/** What a store returns for one page: `rows` may hold one extra row, which only signals that more exist. */
export interface Page<T> {
  rows: T[];
  totalCount: number;
}

export interface PageRequest {
  /** The id to continue after (decoded from the cursor), or null from the start. */
  afterId: string | null;
  /** Rows to fetch: the page size plus one, to learn whether there is a next page. */
  limit: number;
  size: number;
}

const CURSOR_PREFIX = 'c1:';

export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX) || !isUuid(decoded.slice(CURSOR_PREFIX.length))) {
    throw new AppError('BAD_USER_INPUT', `"${cursor}" is not a cursor this API issued`, { argument: 'after' });
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

export function toPageRequest(args: PageArgs): PageRequest {
  const size = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new AppError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  return { afterId: args.after ? decodeCursor(args.after) : null, limit: size + 1, size };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export function toConnection<T extends { id: string }>(page: Page<T>, request: PageRequest): Connection<T> {
  const nodes = page.rows.slice(0, request.size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.rows.length > request.size,
      hasPreviousPage: request.afterId !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Declares `<Name>Edge` and `<Name>Connection` object types for a node type (Relay connection spec). */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionClass;
}
