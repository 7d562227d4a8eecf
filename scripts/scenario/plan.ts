import { seededRandom } from '../../lib/seeded-random.js';
import { MONTHLY_INTAKE, SCENARIO_ISSUERS, SCENARIO_PATHWAYS, learner, type ScenarioIssuer } from './program.js';

const DAY_MS = 86_400_000;


export interface PlannedAward {
  learner: number;
  issuer: string;
  achievement: string;
  /** The day the learner earned it: the credential's validFrom (and so its issuance day in the metrics). */
  earnedAt: Date;
}

export interface PlannedLearner {
  index: number;
  name: string;
  email: string;
  issuer: string;
  /** Shares some of their credentials (a share link), and how many employers then check them. */
  shares: boolean;
  /** Career moves the corporate academy records: days after (positive) or before (negative) the first award. */
  careerMoves: number[];
}

export interface ScenarioPlan {
  learners: PlannedLearner[];
  awards: PlannedAward[];
  /** People the academy records career moves for who earned nothing (the career-impact comparison group). */
  comparisonGroup: { name: string; email: string; hiredDaysAgo: number; movedDaysAgo: number | null }[];
}

function pick<T>(random: () => number, items: readonly T[], weightOf: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  let roll = random() * total;
  for (const item of items) {
    roll -= weightOf(item);
    if (roll < 0) return item;
  }
  return items[items.length - 1]!;
}

/** A day within the intake month `month` (0 = the oldest of the twelve), never after yesterday. */
function dayInMonth(random: () => number, now: Date, month: number): Date {
  const start = now.getTime() - (12 - month) * 30 * DAY_MS;
  return new Date(Math.min(start + Math.floor(random() * 30) * DAY_MS, now.getTime() - DAY_MS));
}

const HOME_SHARE = [
  { issuer: 'riverside', weight: 45 },
  { issuer: 'harbor', weight: 35 },
  { issuer: 'academy', weight: 20 },
];

/**
 * Who earns what, when, shares and moves: `learners` people over the twelve months before `now`. A third of the
 * polytechnic's and the academy's learners follow their pathway's steps in order, about six weeks apart, and most of
 * them finish; the others earn one to three of their issuer's achievements by popularity, and some one elsewhere.
 */
export function planScenario(learners: number, now: Date, random = seededRandom(learners)): ScenarioPlan {
  const issuerOf = (key: string) => SCENARIO_ISSUERS.find((issuer) => issuer.key === key)!;
  const awardable = (issuer: ScenarioIssuer) => issuer.achievements.filter((achievement) => achievement.weight > 0);
  const planned: PlannedLearner[] = [];
  const awards: PlannedAward[] = [];
  for (let index = 0; index < learners; index += 1) {
    const home = pick(random, HOME_SHARE, (entry) => entry.weight).issuer;
    const month = pick(random, MONTHLY_INTAKE.map((weight, month) => ({ month, weight })), (entry) => entry.weight).month;
    let day = dayInMonth(random, now, month);
    const earned = new Set<string>();
    const earn = (issuer: string, achievement: string, at: Date) => {
      if (at.getTime() >= now.getTime() || earned.has(`${issuer}/${achievement}`)) return false;
      earned.add(`${issuer}/${achievement}`);
      awards.push({ learner: index, issuer, achievement, earnedAt: at });
      return true;
    };
    const pathway = SCENARIO_PATHWAYS.find((candidate) => candidate.issuer === home);
    if (pathway && random() < 0.35) {
      // Each step about six weeks after the last; some stop along the way.
      for (const step of pathway.steps) {
        if (!earn(home, step, day) || random() < 0.12) break;
        day = new Date(day.getTime() + (35 + Math.floor(random() * 21)) * DAY_MS);
      }
    } else {
      const count = 1 + Math.floor(random() * random() * 3);
      for (let n = 0; n < count; n += 1) {
        earn(home, pick(random, awardable(issuerOf(home)), (achievement) => achievement.weight).key, day);
        day = new Date(day.getTime() + (20 + Math.floor(random() * 60)) * DAY_MS);
      }
    }
    if (random() < 0.1) {
      const elsewhere = pick(random, HOME_SHARE.filter((entry) => entry.issuer !== home), (entry) => entry.weight).issuer;
      earn(elsewhere, pick(random, awardable(issuerOf(elsewhere)), (achievement) => achievement.weight).key, dayInMonth(random, now, Math.floor(random() * 12)));
    }
    const careerMoves: number[] = [];
    if (home === 'academy') {
      // Earners move more after earning than before: the academy's credentials are tied to roles.
      if (random() < 0.34) careerMoves.push(30 + Math.floor(random() * 240));
      if (random() < 0.12) careerMoves.push(-(30 + Math.floor(random() * 300)));
    }
    planned.push({ index, ...learner(index), issuer: home, shares: random() < 0.42, careerMoves });
  }
  const comparisonGroup = Array.from({ length: Math.max(3, Math.round(learners * 0.08)) }, (_, n) => {
    const person = learner(learners + n);
    return { ...person, hiredDaysAgo: 800 + Math.floor(random() * 1500), movedDaysAgo: random() < 0.14 ? 10 + Math.floor(random() * 300) : null };
  });
  return { learners: planned, awards, comparisonGroup };
}
