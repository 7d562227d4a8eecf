import { readFileSync } from 'node:fs';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { buildASTSchema, Kind, parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo, type DemoKeys } from '../../scripts/seed-demo.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Issue 13, item 4: README examples had drifted from the schema (createApiKey without its required name, a `key` field
// that is `secret`, placeholders for ids nobody printed). Every GraphQL operation in README.md is validated against
// the composed supergraph's public schema, and the examples marked `<!-- example: run as=<key> [then=…] -->` are run
// in order, as that demo key, against a hub holding the demo data: each must answer with data.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SCHEMA = buildASTSchema(transformSupergraphToPublicSchema(parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'))));

type KeyName = 'admin' | 'issuer' | 'employer' | 'recipient' | 'anonymous';

interface Example {
  line: number;
  source: string;
  document: DocumentNode;
  /** How to run it, when marked: as which demo key, and which ids an operation's answer hands to the next ones. */
  run: { as: KeyName; then: { variable: string; path: string[] }[] } | null;
}

const lineOf = (index: number) => README.slice(0, index).split('\n').length;

function graphqlExamples(): Example[] {
  const blocks = [...README.matchAll(/(?:<!-- example: run ([^>]*?) -->\n)?```graphql\n([\s\S]*?)```/g)];
  return blocks.map((block) => {
    const [, marker, source] = block;
    const options = Object.fromEntries((marker ?? '').split(/\s+/).filter(Boolean).map((option) => option.split('=') as [string, string]));
    const then = (options.then ?? '')
      .split(',')
      .filter(Boolean)
      .map((assignment) => {
        const [variable, path] = assignment.split(':') as [string, string];
        return { variable, path: path.split('.') };
      });
    return { line: lineOf(block.index!), source: source!, document: parse(source!), run: marker ? { as: options.as as KeyName, then } : null };
  });
}

/** The `{"query": …}` bodies of the README's curl commands. */
function curlQueries(): { line: number; query: string }[] {
  return [...README.matchAll(/-d '(\{"query":[\s\S]*?\})'/g)].map((match) => ({ line: lineOf(match.index!), query: (JSON.parse(match[1]!) as { query: string }).query }));
}

const operationsOf = (document: DocumentNode) => document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);

describe('README examples fit the schema', () => {
  test('every GraphQL operation in README.md, and every curl body, validates against schema/supergraph.graphql', () => {
    const examples = graphqlExamples();
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const problems = [
      ...examples.flatMap((example) => validate(SCHEMA, example.document).map((error) => `README.md:${example.line}: ${error.message}`)),
      ...curlQueries().flatMap(({ line, query }) => validate(SCHEMA, parse(query)).map((error) => `README.md:${line} (curl): ${error.message}`)),
    ];
    expect(problems).toEqual([]);
    expect(curlQueries().length).toBeGreaterThanOrEqual(1);
  });

  test('the run markers name a demo key and an operation of their example', () => {
    for (const example of graphqlExamples().filter((candidate) => candidate.run)) {
      expect(['admin', 'issuer', 'employer', 'recipient', 'anonymous'], `README.md:${example.line}`).toContain(example.run!.as);
      const fields = operationsOf(example.document).flatMap((operation) => operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '')));
      for (const { path } of example.run!.then) expect(fields, `README.md:${example.line}`).toContain(path[0]);
    }
  });
});

/** True when the answer carries data: every root field answered, every connection and stack non-empty. */
function emptyParts(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => emptyParts(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = `${path}.${key}`;
    if ((key === 'edges' || key === 'stackedSkills') && Array.isArray(child) && child.length === 0) return [`${at} is empty`];
    if (key === 'totalCount' && child === 0) return [`${at} is 0`];
    return emptyParts(child, at);
  });
}

describe('README examples run against the demo data', () => {
  let hub: TestHub;
  let demo: DemoKeys;
  const answers = new Map<string, any>();

  beforeAll(async () => {
    hub = await startTestHub();
    demo = (await seedDemo(hub.deps.database.db, hub.gateway.url, hub.deps.config.publicBaseUrl, hub.deps.log))!;
  }, 300_000);
  afterAll(async () => hub?.dispose());

  /** One operation of a document that may hold several, as GraphiQL sends it. */
  async function post(query: string, operationName: string | undefined, variables: Record<string, unknown>, key: string | null): Promise<{ data?: any; errors?: unknown[] }> {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, operationName, variables }),
    });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  }

  async function subscribeOnce(document: string, variables: Record<string, unknown>, key: string | null): Promise<{ data?: any; errors?: unknown[] }> {
    const client = hub.wsClient(key);
    const events = client.iterate({ query: document, variables });
    const first = await events.next();
    await events.return?.();
    return first.value as { data?: any; errors?: unknown[] };
  }

  test('each marked example answers with data, in README order', async () => {
    const variables: Record<string, unknown> = { ...demo.variables };
    const keyOf = (name: KeyName) => (name === 'anonymous' ? null : demo[name]);
    for (const example of graphqlExamples().filter((candidate) => candidate.run)) {
      for (const operation of operationsOf(example.document)) {
        const name = operation.name?.value ?? `(line ${example.line})`;
        const declared = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
        const required = (operation.variableDefinitions ?? []).filter((definition) => definition.type.kind === Kind.NON_NULL_TYPE).map((definition) => definition.variable.name.value);
        expect(required.filter((variable) => variables[variable] === undefined), `README.md:${example.line} ${name}: variables nobody provides`).toEqual([]);
        const given = Object.fromEntries(declared.filter((variable) => variables[variable] !== undefined).map((variable) => [variable, variables[variable]]));
        const answer =
          operation.operation === 'subscription'
            ? await subscribeOnce(example.source, given, keyOf(example.run!.as))
            : await post(example.source, operation.name?.value, given, keyOf(example.run!.as));
        const where = `README.md:${example.line} ${name}`;
        expect(answer.errors, where).toBeUndefined();
        for (const [field, value] of Object.entries(answer.data ?? {})) expect(value, `${where}: ${field}`).not.toBeNull();
        expect(emptyParts(answer.data, name), where).toEqual([]);
        for (const { variable, path } of example.run!.then) {
          const value = path.reduce<any>((node, key) => node?.[key], answer.data);
          if (value !== undefined) variables[variable] = value;
        }
        answers.set(name, answer.data);
      }
    }
    expect([...answers.keys()]).toEqual(expect.arrayContaining(['Define', 'Publish', 'Issue', 'Suspend', 'Reinstate', 'Me', 'Share', 'Consent', 'Candidate', 'Verify']));
  }, 300_000);

  test('the employer example stacks a skill evidenced by two issuers, and the hub’s own credential URL verifies', () => {
    const stacked = answers.get('Candidate').candidate.stackedSkills as { name: string; credentials: { issuer: { name: string } }[] }[];
    const acrossIssuers = stacked.filter((skill) => new Set(skill.credentials.map((credential) => credential.issuer.name)).size >= 2);
    expect(acrossIssuers.map((skill) => skill.name)).toContain('Programming');
    expect(answers.get('Verify').verifyCredential).toMatchObject({ verified: true, status: 'VALID' });
    expect(answers.get('Bulk').issueCredentials).toMatchObject({ job: { total: 1 }, errors: [] });
  });
});
