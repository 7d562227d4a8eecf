/**
 * The demo hub's content: a small regional skills programme. Three issuers award skill-aligned achievements (ESCO
 * concept URIs, and O*NET content-model elements with their O*NET OnLine pages); three people hold credentials from
 * several of them. Ada has consented to the demo employer, so the README's employer view shows her skills stacked
 * across issuers (Programming is evidenced by Northwind and by the Open Skills Guild).
 */

export interface DemoSkill {
  framework: 'ESCO' | 'ONET';
  code: string;
  name: string;
  url?: string;
}

export interface DemoAchievement {
  /** How awards below refer to it. */
  key: string;
  name: string;
  description: string;
  narrative: string;
  evidenceKind: 'ASSESSMENT' | 'PROJECT' | 'INSTRUCTOR_EVALUATION' | 'PEER_REVIEW' | 'WORK_PRODUCT';
  skills: DemoSkill[];
}

export interface DemoIssuer {
  name: string;
  url: string;
  email?: string;
  description: string;
  achievements: DemoAchievement[];
}

/** ESCO's "SQL" skill: a concept URI, its own URL. The README's skill filter uses it. */
export const ESCO_SQL = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';

const onet = (code: string, name: string): DemoSkill => ({ framework: 'ONET', code, name, url: `https://www.onetonline.org/find/descriptor/result/${code}` });

export const DEMO_ISSUERS: DemoIssuer[] = [
  {
    name: 'Northwind Institute of Technology',
    url: 'https://northwind.example',
    email: 'badges@northwind.example',
    description: 'Short, assessed courses in software and data skills.',
    achievements: [
      {
        key: 'sql',
        name: 'SQL Query Fundamentals',
        description: 'Writes correct SELECT queries with joins, grouping and filtering against a relational schema.',
        narrative: 'Pass a proctored assessment of 20 queries with at least 80% correct.',
        evidenceKind: 'ASSESSMENT',
        skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }, onet('2.B.3.e', 'Programming')],
      },
      {
        key: 'forms',
        name: 'Accessible Web Forms',
        description: 'Builds HTML forms that meet WCAG 2.2 AA for labels, errors and keyboard use.',
        narrative: 'Submit a form project reviewed against a WCAG checklist by an instructor.',
        evidenceKind: 'PROJECT',
        skills: [onet('2.B.3.b', 'Technology Design'), onet('2.B.3.e', 'Programming')],
      },
      {
        key: 'incident',
        name: 'Incident Response Basics',
        description: 'Triages, contains and documents a simulated security incident.',
        narrative: 'Complete a timed tabletop exercise and a written post-incident report.',
        evidenceKind: 'ASSESSMENT',
        skills: [onet('2.B.3.k', 'Troubleshooting'), onet('2.B.2.i', 'Complex Problem Solving')],
      },
    ],
  },
  {
    name: 'Harbor City Community College',
    url: 'https://harborcity.example',
    email: 'registrar@harborcity.example',
    description: 'Workforce micro-credentials co-designed with local employers.',
    achievements: [
      {
        key: 'forklift',
        name: 'Forklift Safety Practice',
        description: 'Operates a counterbalance forklift safely in a warehouse setting.',
        narrative: 'Pass a practical driving evaluation observed by a certified instructor.',
        evidenceKind: 'INSTRUCTOR_EVALUATION',
        skills: [onet('2.B.3.h', 'Operation and Control'), onet('2.B.3.g', 'Operations Monitoring')],
      },
      {
        key: 'deescalation',
        name: 'Customer Conflict De-escalation',
        description: 'Resolves a tense customer interaction using active listening and de-escalation.',
        narrative: 'Two role-play scenarios rated by a peer reviewer and an instructor.',
        evidenceKind: 'INSTRUCTOR_EVALUATION',
        skills: [onet('2.A.1.b', 'Active Listening'), onet('2.B.1.f', 'Service Orientation')],
      },
    ],
  },
  {
    name: 'Open Skills Guild',
    url: 'https://openskills.example',
    description: 'A volunteer guild recognising open-source contribution skills.',
    achievements: [
      {
        key: 'pull-request',
        name: 'First Merged Pull Request',
        description: 'Prepares, explains and lands a change in a public open-source project.',
        narrative: 'A merged pull request with review discussion, linked as evidence.',
        evidenceKind: 'WORK_PRODUCT',
        skills: [onet('2.B.3.e', 'Programming'), onet('2.A.1.c', 'Writing')],
      },
    ],
  },
];

export const DEMO_RECIPIENTS = [
  { key: 'ada', name: 'Ada Lovelace', identities: [{ type: 'EMAIL', value: 'ada@example.com' }] },
  { key: 'grace', name: 'Grace Hopper', identities: [{ type: 'EMAIL', value: 'grace@example.com' }, { type: 'DID', value: 'did:example:grace' }] },
  { key: 'alan', name: 'Alan Turing', identities: [{ type: 'EMAIL', value: 'alan@example.com' }] },
] as const;

export type DemoRecipientKey = (typeof DEMO_RECIPIENTS)[number]['key'];

/**
 * Who holds what, and who may see it: SHARED_ONLY shows it to employers the holder consented to, PUBLIC to anyone
 * (and makes its URL verifiable). `statusPurpose: SUSPENSION` gives the README's suspend example a credential.
 */
export const DEMO_AWARDS: Array<{
  recipient: DemoRecipientKey;
  achievement: string;
  visibility: 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC';
  evidenceUrl: string;
  statusPurpose?: 'SUSPENSION';
}> = [
  { recipient: 'ada', achievement: 'sql', visibility: 'SHARED_ONLY', evidenceUrl: 'https://lms.northwind.example/attempts/ada-sql', statusPurpose: 'SUSPENSION' },
  { recipient: 'ada', achievement: 'pull-request', visibility: 'PUBLIC', evidenceUrl: 'https://git.example/analytical-engine/pull/42' },
  { recipient: 'ada', achievement: 'deescalation', visibility: 'SHARED_ONLY', evidenceUrl: 'https://lms.harborcity.example/roleplay/ada' },
  { recipient: 'ada', achievement: 'forms', visibility: 'PRIVATE', evidenceUrl: 'https://git.example/ada/forms' },
  { recipient: 'grace', achievement: 'sql', visibility: 'PUBLIC', evidenceUrl: 'https://lms.northwind.example/attempts/grace-sql' },
  { recipient: 'grace', achievement: 'incident', visibility: 'SHARED_ONLY', evidenceUrl: 'https://lms.northwind.example/tabletop/grace' },
  { recipient: 'alan', achievement: 'forklift', visibility: 'PUBLIC', evidenceUrl: 'https://lms.harborcity.example/practical/alan' },
];
