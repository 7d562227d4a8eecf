import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * What every command-line client of a running hub shares: where the hub is (`--url`, $CAIRN_URL, or the gateway's
 * port from $GATEWAY_PORT, as `npm start` uses it), how to ask it, and failures told in one line — what went wrong
 * and what to try — instead of a stack trace.
 */

/** The lines every client's `--help` prints about reaching the hub. */
export const CONNECTION_HELP = [
  '  --url <url>                the hub\'s GraphQL endpoint; default $CAIRN_URL, else',
  '                             http://localhost:$GATEWAY_PORT/graphql (GATEWAY_PORT defaults to 4000, as for npm start)',
  '  --key <key>                the API key, sent as a bearer token; default $CAIRN_API_KEY',
  '  --help                     this text',
].join('\n');

/** The hub's GraphQL endpoint when `--url` is not given. */
export function defaultHubUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAIRN_URL) return env.CAIRN_URL;
  return `http://localhost:${env.GATEWAY_PORT || '4000'}/graphql`;
}

/** A failure the user can act on; its message is the one line a client prints. */
export class CliError extends Error {
  override name = 'CliError';
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

/**
 * POSTs one operation to the hub and returns its `data`, or throws a CliError saying what to try: the hub is not
 * reachable, the address is not the hub's GraphQL endpoint, the key was refused, or the operation's own errors.
 */
export async function askHub<T>(url: string, key: string | undefined, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new CliError(`Cannot reach the hub at ${url} (${reasonOf(error)}): start it with \`npm start\`, or point --url or CAIRN_URL at its /graphql address.`);
  }
  let body: { data?: T; errors?: GraphQLErrorBody[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new CliError(`${url} answered HTTP ${response.status} without a GraphQL response: is it the hub's /graphql address? Check --url or CAIRN_URL.`);
  }
  const errors = body.errors ?? [];
  if (errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) {
    const said = errors.find((error) => error.extensions?.code === 'UNAUTHENTICATED')!.message;
    throw new CliError(`The hub at ${url} refused the API key (${said}): pass a valid key with --key or CAIRN_API_KEY (npm start prints demo keys).`);
  }
  if (errors.length > 0) throw new CliError(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  if (body.data === undefined || body.data === null) throw new CliError(`${url} answered HTTP ${response.status} with no data: is it the hub's /graphql address?`);
  return body.data;
}

/** The options given; an unknown or malformed one prints its problem and the usage, and exits 1. */
export function parseCliArgs<const T extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: T) {
  // --help prints the usage and succeeds, whatever else was given.
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true });
  } catch (error) {
    return exitWith(`${(error as Error).message}\n\n${usage}`);
  }
}

/** Prints `message` as the one line on stderr and exits non-zero. */
export function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Runs a client's main; whatever it throws is printed as one line (no stack), and the exit code is 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => exitWith(error instanceof CliError ? error.message : `Failed: ${reasonOf(error)}`));
}

/** The innermost cause of a failed fetch (`ECONNREFUSED 127.0.0.1:4000`), not undici's "fetch failed". */
function reasonOf(error: unknown): string {
  let current = error as { message?: string; code?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  if (!current) return String(error);
  const aggregated = (current as { errors?: { message?: string }[] }).errors?.[0]?.message;
  return current.code && current.message ? (current.message.includes(current.code) ? current.message : `${current.code}: ${current.message}`) : (aggregated ?? current.message ?? String(error));
}
