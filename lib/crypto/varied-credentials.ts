import { buildSampleAchievementCredential } from './sample-credential.js';

// Generated OB 3.0 credentials for differential tests of the fast signing and canonicalisation paths against the stock
// ones. Each index gives one deterministic credential (rebuild a failing one from its index). Its structure comes from
// one of SHAPE_FAMILIES seeds and its values from the index itself, so the corpus repeats shapes with new values (the
// case the shape cache serves) while also covering many shapes, awkward strings, numbers and duplicate values.

/** How many structural variants the generator cycles through (indexes i and i + SHAPE_FAMILIES share a structure). */
export const SHAPE_FAMILIES = 23;

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Strings that stress N-Quads escaping, Unicode and IRI look-alikes: quotes, backslashes, control characters, line
 * and paragraph separators, emoji, combining and right-to-left text, blank-node and compact-IRI look-alikes, colons.
 * Grouped so that the strings of one group take the same branches in jsonld's IRI expansion (the shape cache's leaf
 * classes): a credential's structure picks the group, its values pick within it.
 */
export const AWKWARD_STRINGS: readonly (readonly string[])[] = [
  [
    '',
    'Café Crème',
    'Straße',
    '"quoted"',
    "it's",
    'back\\slash',
    'line\nbreak',
    'carriage\rreturn',
    'tab\tstop',
    'nul\u0000byte',
    'bell\u0007 and del\u007f',
    'sep\u2028arators\u2029',
    '😀 emoji 👩🏽‍🚀',
    'e\u0301 combining',
    'مرحبا بالعالم',
    '<b>x</b> & <i>y</i>',
    '  padded  ',
    '@id',
    'MicroCredential',
    '12345',
  ],
  ['_:b0', '_:c14n1'],
  ['ex:compact', 'urn:uuid:0b0e2d1c-0000-4000-8000-000000000000'],
  ['Note: a colon', 'a:b c'],
  ['https://looks.example/like-an-iri', 'http://x.example/'],
];

const SKILLS = ['Kubernetes', 'SQL', 'Accessible forms', 'Incident response', 'Pâtisserie', 'Welding', 'First aid'];
const ACHIEVEMENT_TYPES = [['MicroCredential', 'Badge', 'Certificate', 'Course', 'Competency', 'Diploma'], ['ext:CairnPathway', 'ext:Other']];
/** Integers and doubles as jsonld tells them apart (1e-7 has no '.' in JavaScript, so it is an "integer"). */
const NUMBERS = [[0, 1, 3, 42, -7, 123456789012, 7.0, 1e-7], [2.5, 0.1, 1e21, 1.25e-3, 99.99]];
const LANGUAGES = ['en', 'fr', 'de-CH', 'ar', 'zh-Hant'];

export interface VariedCredentialOptions {
  /** The issuer id (for signing, the controller of the signing key). */
  issuerId: string;
}

/** A varied but valid (signable in safe mode) OB 3.0 AchievementCredential; see the module comment. */
export function generateVariedCredential(index: number, { issuerId }: VariedCredentialOptions): Record<string, any> {
  const shape = prng(7919 * ((index % SHAPE_FAMILIES) + 1));
  const value = prng(index + 1);
  const has = (probability: number) => shape() < probability;
  const count = (max: number) => Math.floor(shape() * (max + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(value() * items.length)]!;
  /** The structure picks a group (mostly the first), the values pick within it. */
  const pickIn = <T>(groups: readonly (readonly T[])[]): T => pick(has(0.7) ? groups[0]! : groups[Math.floor(shape() * groups.length)]!);
  const int = (max: number) => Math.floor(value() * max);
  const hex = (length: number) => Array.from({ length }, () => int(16).toString(16)).join('');
  const awkward = () => pickIn(AWKWARD_STRINGS);
  const text = (label: string) => `${label} ${awkward()}${has(0.2) ? ` ${awkward()}` : ''}`;
  const date = (fromYear: number) =>
    new Date(Date.UTC(fromYear + int(4), int(12), 1 + int(28), int(24), int(60), int(60))).toISOString().replace('.000Z', 'Z');
  const iri = () =>
    [
      () => `https://academy.example.org/things/${hex(6)}`,
      () => `urn:uuid:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
      () => `did:web:academy.example.org:items:${hex(4)}`,
      () => `http://data.europa.eu/esco/skill/${hex(8)}`,
      () => `https://academy.example.org/a%20b/${hex(4)}?q=${hex(2)}#frag`,
    ][Math.floor(shape() * 5)]!();
  /** A plain string, or (in some shapes) the same text as language-tagged value objects, with a direction. */
  const localized = (label: string) => {
    const plain = text(label);
    if (!has(0.25)) return plain;
    const language = () => LANGUAGES[Math.floor(shape() * LANGUAGES.length)]!;
    if (!has(0.5)) return { '@value': plain, '@language': language() };
    return [
      { '@value': plain, '@language': language(), '@direction': has(0.5) ? 'ltr' : 'rtl' },
      { '@value': text(label), '@language': language() },
    ];
  };

  const credential = buildSampleAchievementCredential({
    issuerId,
    id: has(0.5) ? `urn:uuid:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}` : `https://academy.example.org/credentials/${index}`,
    recipientEmail: `learner${index}@${pick(['example.org', 'example.com', 'uni.example'])}`,
    salt: hex(int(3) * 8),
    validFrom: date(2019),
    validUntil: date(2030),
  }) as Record<string, any>;
  if (has(0.3)) delete credential.validUntil;
  credential.name = localized('Credential');
  if (has(0.4)) credential.description = localized('About');
  credential.issuer.name = has(0.5) ? pick(['Cairn Academy', 'Northwind Institute', 'Ωmega Skills', 'Harbor "City" College']) : awkward();
  if (has(0.3)) credential.issuer.email = `office${int(9)}@academy.example.org`;
  if (has(0.2)) credential.issuer.description = text('Issuer');

  const subject = credential.credentialSubject;
  if (has(0.4)) subject.id = value() < 0.1 ? issuerId : `did:example:${hex(16)}`;
  if (has(0.3)) {
    subject.identifier.push({ ...subject.identifier[0], identityHash: `sha256$${hex(64)}`, salt: hex(8) });
    // Sometimes the very same identity twice: equal values in one node, which jsonld merges.
    if (value() < 0.3) subject.identifier[1] = { ...subject.identifier[0] };
  }
  if (has(0.4)) subject.activityStartDate = date(2018);
  if (has(0.4)) subject.creditsEarned = pickIn(NUMBERS);
  if (has(0.3)) subject.result = [{ type: ['Result'], value: text('Grade'), ...(has(0.5) ? { status: 'Completed' } : {}) }];

  const achievement = subject.achievement;
  achievement.id = iri();
  achievement.name = text(pick(SKILLS));
  achievement.description = `${awkward()} Demonstrates ${pick(SKILLS).toLowerCase()}.`;
  achievement.criteria = has(0.8) ? { narrative: text(`Criteria #${index}:`) } : { id: iri() };
  if (has(0.8)) achievement.achievementType = pickIn(ACHIEVEMENT_TYPES);
  else delete achievement.achievementType;
  if (has(0.5)) achievement.humanCode = `C-${int(10_000)}`;
  if (has(0.3)) achievement.creditsAvailable = pickIn(NUMBERS);
  if (has(0.5)) {
    // Duplicates on purpose sometimes: equal tags are one RDF triple.
    achievement.tag = Array.from({ length: 1 + count(3) }, () => pick(SKILLS));
  }
  if (has(0.25)) achievement.image = iri();
  else if (has(0.2)) delete achievement.image;
  else achievement.image.caption = text('Badge');
  const alignments = count(3);
  achievement.alignment = Array.from({ length: alignments }, (_, i) => ({
    type: ['Alignment'],
    targetName: `${pick(SKILLS)} ${i}`,
    targetUrl: iri(),
    ...(has(0.5) ? { targetFramework: has(0.5) ? pick(['ESCO', 'O*NET']) : awkward(), targetCode: hex(5) } : {}),
    ...(has(0.3) ? { targetType: pickIn([['CFItem', 'CFRubric'], ['ceasn:Competency', 'ext:Skill']]) } : {}),
  }));
  if (alignments > 1 && value() < 0.2) achievement.alignment[1] = { ...achievement.alignment[0] }; // two equal blank nodes
  if (alignments === 0) delete achievement.alignment;

  const evidenceCount = count(4);
  credential.evidence = Array.from({ length: evidenceCount }, (_, i) => ({
    ...(has(0.85) ? { id: `https://academy.example.org/evidence/${hex(8)}` } : {}),
    type: ['Evidence'],
    name: `Evidence ${i + 1}: ${awkward()}`,
    ...(has(0.5) ? { narrative: awkward() || 'none', genre: has(0.5) ? pick(['Exam', 'Portfolio']) : awkward() } : {}),
  }));
  // The same evidence id twice: jsonld merges both into one node.
  if (evidenceCount > 1 && value() < 0.15 && credential.evidence[0].id) credential.evidence[1].id = credential.evidence[0].id;
  if (evidenceCount === 0) delete credential.evidence;

  if (has(0.2)) {
    credential.credentialStatus = {
      id: `https://academy.example.org/status/1#${int(100_000)}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: pick(['revocation', 'suspension']),
      statusListIndex: String(int(100_000)),
      statusListCredential: 'https://academy.example.org/status/1',
    };
  }
  // VC 2.0 terms with other datatypes: `_sd` is `@json` (its literal is the canonical JSON), `exp` a typed integer,
  // `aud` an IRI.
  if (has(0.15)) credential._sd = [hex(8), awkward(), { n: int(5), s: awkward() }];
  if (has(0.15)) credential.exp = 1_700_000_000 + int(1_000_000);
  if (has(0.15)) credential.aud = iri();
  return credential;
}
