import type { DemoSkill } from '../demo-program.js';

/**
 * `npm run seed:scenario`'s programme: a regional upskilling programme run by three issuers, with achievements
 * aligned to ESCO skills (concept URIs) and O*NET content-model elements, two stackable pathways, and the habits of
 * real cohorts (monthly intakes that grow through the year, a summer lull, holders who share some credentials and
 * employers who check a part of them, promotions and moves recorded by the corporate academy).
 */

export interface ScenarioAchievement {
  key: string;
  name: string;
  description: string;
  narrative: string;
  evidenceKind: 'ASSESSMENT' | 'PROJECT' | 'INSTRUCTOR_EVALUATION' | 'WORK_PRODUCT';
  hours: number;
  skills: DemoSkill[];
  /** Relative popularity: how many of the issuer's learners earn it, against its siblings. */
  weight: number;
}

export interface ScenarioIssuer {
  key: string;
  name: string;
  url: string;
  description: string;
  /** Corporate L&D records its staff's career moves (career impact); colleges do not. */
  recordsCareerEvents: boolean;
  achievements: ScenarioAchievement[];
}

export interface ScenarioPathway {
  issuer: string;
  name: string;
  description: string;
  /** Achievement keys, all required. */
  steps: string[];
  /** The achievement key the pathway awards. */
  award: string;
}

const esco = (uuid: string, name: string): DemoSkill => ({ framework: 'ESCO', code: `http://data.europa.eu/esco/skill/${uuid}`, name });
const onet = (code: string, name: string): DemoSkill => ({ framework: 'ONET', code, name, url: `https://www.onetonline.org/find/descriptor/result/${code}` });

const SQL = esco('598de5b0-5b58-4ea7-8058-a4bc4d18c742', 'SQL');
const PROGRAMMING = onet('2.B.3.e', 'Programming');
const TECH_DESIGN = onet('2.B.3.b', 'Technology Design');
const TROUBLESHOOTING = onet('2.B.3.k', 'Troubleshooting');
const PROBLEM_SOLVING = onet('2.B.2.i', 'Complex Problem Solving');
const CRITICAL_THINKING = onet('2.A.2.a', 'Critical Thinking');
const MONITORING = onet('2.A.2.d', 'Monitoring');
const COORDINATION = onet('2.B.1.b', 'Coordination');
const INSTRUCTING = onet('2.B.1.e', 'Instructing');
const PERSONNEL = onet('2.B.5.d', 'Management of Personnel Resources');
const SERVICE = onet('2.B.1.f', 'Service Orientation');
const QUALITY = onet('2.B.3.m', 'Quality Control Analysis');
const OPERATION = onet('2.B.3.j', 'Operation and Control');
const SYSTEMS = onet('2.B.4.g', 'Systems Analysis');

const achievement = (key: string, name: string, description: string, narrative: string, evidenceKind: ScenarioAchievement['evidenceKind'], hours: number, weight: number, skills: DemoSkill[]): ScenarioAchievement => ({
  key,
  name,
  description,
  narrative,
  evidenceKind,
  hours,
  weight,
  skills,
});

export const SCENARIO_ISSUERS: ScenarioIssuer[] = [
  {
    key: 'riverside',
    name: 'Riverside Polytechnic',
    url: 'https://riverside-poly.example',
    description: 'Evening and weekend micro-credentials in data and software, assessed by industry reviewers.',
    recordsCareerEvents: false,
    achievements: [
      achievement('sql', 'SQL for Analysts', 'Writes correct SELECT queries with joins, grouping and window functions.', 'Pass a proctored assessment of 20 queries with at least 80% correct.', 'ASSESSMENT', 24, 10, [SQL, PROGRAMMING]),
      achievement('python', 'Python Data Wrangling', 'Cleans, reshapes and validates tabular data with pandas.', 'Submit a notebook that cleans a messy public dataset, reviewed by an instructor.', 'PROJECT', 30, 8, [PROGRAMMING, CRITICAL_THINKING]),
      achievement('viz', 'Data Visualisation Essentials', 'Chooses and builds honest charts for a business question.', 'Present a dashboard to a panel and answer its questions.', 'INSTRUCTOR_EVALUATION', 16, 6, [TECH_DESIGN, CRITICAL_THINKING]),
      achievement('pipelines', 'Reliable Data Pipelines', 'Builds a scheduled, tested, observable batch pipeline.', 'A pipeline project passing the reviewer’s failure drills.', 'PROJECT', 40, 4, [SYSTEMS, PROGRAMMING, TROUBLESHOOTING]),
      achievement('forms', 'Accessible Web Forms', 'Builds forms that meet WCAG 2.2 AA for labels, errors and keyboard use.', 'A form project reviewed against the WCAG checklist.', 'PROJECT', 12, 5, [TECH_DESIGN, PROGRAMMING]),
      achievement('cloud', 'Cloud Fundamentals', 'Deploys and monitors a small web service on a public cloud.', 'Pass a hands-on lab assessment.', 'ASSESSMENT', 20, 6, [SYSTEMS, MONITORING]),
      achievement('analyst', 'Data Analyst Certificate', 'Awarded for completing the Data Analyst pathway.', 'Earn SQL for Analysts, Python Data Wrangling and Data Visualisation Essentials.', 'WORK_PRODUCT', 70, 0, [SQL, PROGRAMMING, CRITICAL_THINKING]),
    ],
  },
  {
    key: 'harbor',
    name: 'Harbor City Community College',
    url: 'https://harborcity.example',
    description: 'Workforce micro-credentials co-designed with the port’s logistics employers.',
    recordsCareerEvents: false,
    achievements: [
      achievement('forklift', 'Forklift Safety Practice', 'Operates a counterbalance forklift safely in a warehouse.', 'Pass a practical test observed by a certified instructor.', 'INSTRUCTOR_EVALUATION', 16, 10, [OPERATION, MONITORING]),
      achievement('inventory', 'Inventory Control', 'Runs cycle counts and reconciles stock records.', 'Complete a supervised cycle count with under 1% variance.', 'WORK_PRODUCT', 20, 7, [QUALITY, MONITORING]),
      achievement('hazmat', 'Hazardous Goods Handling', 'Labels, stores and documents dangerous goods to ADR rules.', 'Pass the written and practical hazmat assessment.', 'ASSESSMENT', 18, 5, [QUALITY, OPERATION]),
      achievement('customs', 'Customs Documentation', 'Prepares import and export declarations without errors.', 'Prepare five declarations checked by a customs broker.', 'WORK_PRODUCT', 24, 4, [QUALITY, CRITICAL_THINKING]),
      achievement('team-lead', 'Shift Team Leadership', 'Plans a shift, briefs a team and handles incidents.', 'Lead three observed shifts with a supervisor’s evaluation.', 'INSTRUCTOR_EVALUATION', 30, 3, [COORDINATION, PERSONNEL]),
      achievement('first-aid', 'Workplace First Aid', 'Gives first aid at work to the national standard.', 'Pass the practical and written first-aid assessment.', 'ASSESSMENT', 8, 8, [SERVICE, MONITORING]),
      achievement('lean', 'Lean Warehouse Practice', 'Finds and removes waste in a warehouse process.', 'A kaizen project with measured results.', 'PROJECT', 20, 3, [QUALITY, PROBLEM_SOLVING]),
    ],
  },
  {
    key: 'academy',
    name: 'Northwind Logistics Academy',
    url: 'https://academy.northwind-logistics.example',
    description: 'The corporate academy of Northwind Logistics: internal credentials tied to roles and promotions.',
    recordsCareerEvents: true,
    achievements: [
      achievement('coaching', 'Coaching Conversations', 'Runs structured coaching conversations with direct reports.', 'Three recorded coaching sessions assessed by a mentor.', 'INSTRUCTOR_EVALUATION', 12, 6, [INSTRUCTING, PERSONNEL]),
      achievement('incident', 'Incident Response Basics', 'Triages, contains and documents an operational incident.', 'A timed tabletop exercise and a post-incident report.', 'ASSESSMENT', 10, 7, [TROUBLESHOOTING, PROBLEM_SOLVING]),
      achievement('planning', 'Capacity Planning', 'Forecasts volumes and plans staffing for a depot.', 'A quarterly capacity plan reviewed by operations.', 'WORK_PRODUCT', 20, 5, [SYSTEMS, COORDINATION]),
      achievement('safety-lead', 'Safety Leadership', 'Leads safety walks and closes findings with the team.', 'Lead four safety walks with documented follow-up.', 'WORK_PRODUCT', 14, 6, [MONITORING, COORDINATION]),
      achievement('customer', 'Customer Escalations', 'Resolves escalated customer cases within service levels.', 'Ten resolved escalations audited by quality.', 'WORK_PRODUCT', 10, 6, [SERVICE, PROBLEM_SOLVING]),
      achievement('team-leader', 'Certified Team Leader', 'Awarded for completing the Team Leader pathway.', 'Earn Coaching Conversations, Safety Leadership and Capacity Planning.', 'WORK_PRODUCT', 46, 0, [PERSONNEL, COORDINATION]),
    ],
  },
];

export const SCENARIO_PATHWAYS: ScenarioPathway[] = [
  { issuer: 'riverside', name: 'Data Analyst', description: 'Three credentials from query to chart; the certificate follows.', steps: ['sql', 'python', 'viz'], award: 'analyst' },
  { issuer: 'academy', name: 'Team Leader', description: 'Coaching, safety and planning: the academy’s route to a team leader role.', steps: ['coaching', 'safety-lead', 'planning'], award: 'team-leader' },
];

/** Relative intake per month, oldest first: growth through the year, a summer lull, a January peak. */
export const MONTHLY_INTAKE = [5, 6, 7, 6, 4, 3, 6, 8, 9, 8, 7, 10];

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Linus', 'Margaret', 'Dennis', 'Frances', 'Tim', 'Radia', 'Ken', 'Hedy', 'Donald', 'Sophie', 'John', 'Mary', 'Niklaus', 'Karen', 'Vint', 'Shafi', 'Leslie', 'Anita', 'Guido', 'Jean', 'Bjarne', 'Joan', 'Yukihiro', 'Fei-Fei', 'Amara', 'Tomasz', 'Ingrid', 'Mateo', 'Priya', 'Kwame', 'Elena', 'Yusuf', 'Mei', 'Oskar'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Torvalds', 'Hamilton', 'Ritchie', 'Allen', 'Berners-Lee', 'Perlman', 'Thompson', 'Lamarr', 'Knuth', 'Wilson', 'McCarthy', 'Keller', 'Wirth', 'Spärck Jones', 'Cerf', 'Goldwasser', 'Lamport', 'Borg', 'van Rossum', 'Bartik', 'Stroustrup', 'Clarke', 'Matsumoto', 'Li', 'Okafor', 'Nowak', 'Larsen', 'García', 'Raman', 'Mensah', 'Petrova', 'Demir', 'Chen', 'Lindqvist'];

/** The i-th learner: a name and an address at a domain kept for examples (RFC 2606). */
export function learner(index: number): { name: string; email: string } {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const round = Math.floor(index / (FIRST.length * LAST.length));
  const handle = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
  return { name: `${first} ${last}`, email: `${handle}${round ? `.${round}` : ''}.${index}@learners.example` };
}
