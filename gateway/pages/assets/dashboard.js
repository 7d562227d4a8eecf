// The issuer dashboard (/dashboard): reads and follows the program metrics over one graphql-ws connection to this
// hub. The connection is authenticated by the HttpOnly session cookie, which this script never sees; the gateway
// takes it only from this hub's own pages (Origin). Served as a file under CSP script-src 'self': no inline script,
// no eval. Globals: graphqlWs (graphql-ws's browser build) and uPlot.
(() => {
  'use strict';
  const root = document.querySelector('[data-dashboard]');
  if (!root) return;
  const issuerId = root.dataset.issuerId;
  const DAY_MS = 86_400_000;
  const INTERVAL_FOR_DAYS = { 30: 'DAY', 90: 'WEEK', 365: 'MONTH' };
  const PERIOD_WORDS = { 30: 'previous 30 days', 90: 'previous 90 days', 365: 'previous 12 months' };
  const FEED_LENGTH = 40;

  // Half a year: a programme's first year then already has earners whose window has passed.
  const CAREER_WINDOW_MONTHS = 6;
  const PROPORTION = 'numerator denominator rate low high sampleTooSmall';
  const TOTALS = `issuance { issued perPeriod delivered claimed revoked }
    sharing { rate { ${PROPORTION} } shares shareViewsByOthers }
    verification { rate { ${PROPORTION} } verifications verificationsPerCredential }
    pathwayCompletion { started completed rate { ${PROPORTION} } medianDaysToComplete unavailableReason }
    careerImpact(windowMonths: ${CAREER_WINDOW_MONTHS}) { windowMonths afterEarning { ${PROPORTION} } beforeEarning { ${PROPORTION} } withoutCredential { ${PROPORTION} } statement }`;
  const LIVE = `subscription DashboardMetrics($scope: MetricsScopeInput!, $from: DateTime!, $to: DateTime!, $interval: MetricsInterval!) {
    metricsUpdated(scope: $scope, from: $from, to: $to, interval: $interval) {
      updatedAt ${TOTALS} series { periodStart issued claimed shared thirdPartyVerifications }
    }
  }`;
  const PREVIOUS = `query DashboardPrevious($scope: MetricsScopeInput!, $from: DateTime!, $to: DateTime!, $interval: MetricsInterval!) {
    metrics(scope: $scope, from: $from, to: $to, interval: $interval) { ${TOTALS} }
  }`;
  const TABLES = `query DashboardTables($id: ID!, $from: DateTime!, $to: DateTime!, $interval: MetricsInterval!) {
    issuer(id: $id) {
      achievements(first: 50) { edges { node { id name metrics(from: $from, to: $to, interval: $interval) {
        issuance { issued } sharing { rate { rate denominator } } verification { rate { rate denominator } verifications }
      } } } }
      pathways { id name metrics(from: $from, to: $to, interval: $interval) {
        pathwayCompletion { started completed rate { rate denominator } medianDaysToComplete }
      } }
    }
  }`;
  // After a reconnect the feed resumes after the last cursor shown, so no event is missed or repeated.
  const FEED = `subscription DashboardFeed($issuerId: ID!, $after: String) {
    credentialEvents(issuerId: $issuerId, after: $after) { cursor type occurredAt payload }
  }`;

  const EVENT_WORDS = {
    CREDENTIAL_ISSUED: 'Issued',
    CREDENTIAL_REVOKED: 'Revoked',
    CREDENTIAL_SUSPENDED: 'Suspended',
    CREDENTIAL_REINSTATED: 'Reinstated',
    CREDENTIAL_DELIVERED: 'Delivered to a wallet',
    CREDENTIAL_IMPORTED: 'Imported by its holder',
    CREDENTIAL_SHARED: 'Shared',
    SHARE_VIEWED: 'Share viewed',
    CREDENTIAL_VERIFIED: 'Verified',
    PATHWAY_STARTED: 'Pathway started',
    PATHWAY_PROGRESSED: 'Pathway progress',
    PATHWAY_COMPLETED: 'Pathway completed',
    PATHWAY_AWARD_STANDING_CHANGED: 'Pathway award standing changed',
    CAREER_EVENT_RECORDED: 'Career event',
    ACHIEVEMENT_PUBLISHED: 'Achievement published',
    ACHIEVEMENT_CREATED: 'Achievement drafted',
    RECIPIENT_SIGNED_IN: 'Holder signed in',
  };

  const numberFormat = new Intl.NumberFormat('en');
  // An average per period: a small programme issues less than one a month, which should not read as none.
  const rateFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  const percent = (value) => {
    if (value === null || value === undefined) return '–';
    // Whole percents, except below 10 % where a tenth still says something (0 stays 0).
    return `${(value * 100).toFixed(value >= 0.1 || value === 0 ? 0 : 1)} %`;
  };
  const $ = (selector, scope = document) => scope.querySelector(selector);

  const live = $('#live');
  let disconnected = false;
  const client = graphqlWs.createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => {
        setLive('Live', true);
        if (disconnected) follow(); // graphql-ws re-subscribes with the first variables; resume from the last cursor instead
        disconnected = false;
      },
      closed: () => {
        disconnected = true;
        setLive('Reconnecting…', false);
      },
    },
  });

  function setLive(text, connected) {
    live.textContent = text;
    live.classList.toggle('connected', connected);
  }

  /** A query's data; partial data is data (a pathway no event named yet has no metrics, and says so). */
  function ask(query, variables) {
    return new Promise((resolve, reject) => {
      let answer;
      client.subscribe({ query, variables }, {
        next: (result) => (answer = result),
        error: reject,
        complete: () => (answer?.data ? resolve(answer.data) : reject(new Error(answer?.errors?.[0]?.message ?? 'no answer'))),
      });
    });
  }

  let state = { days: 365, previous: null, current: null };
  let stopMetrics = () => {};
  let stopFeed = () => {};
  let tablesTimer = null;

  function spanOf(days) {
    const now = new Date();
    const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
    const from = to - days * DAY_MS;
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), previousFrom: new Date(from - days * DAY_MS).toISOString(), interval: INTERVAL_FOR_DAYS[days] };
  }

  function start(days) {
    stopMetrics();
    state = { days, previous: null, current: null };
    const span = spanOf(days);
    const scope = { issuerId };
    const shown = state;
    ask(PREVIOUS, { scope, from: span.previousFrom, to: span.from, interval: span.interval })
      .then((data) => {
        if (state !== shown) return; // the period changed while this was asked
        state.previous = data.metrics;
        if (state.current) renderTotals(state.current);
      })
      .catch(showProblem);
    stopMetrics = client.subscribe({ query: LIVE, variables: { scope, from: span.from, to: span.to, interval: span.interval } }, {
      next: (result) => {
        if (result.errors) return showProblem(new Error(result.errors[0].message));
        state.current = result.data.metricsUpdated;
        renderTotals(state.current);
        renderCharts(state.current.series, span.interval);
        scheduleTables(span);
      },
      error: showProblem,
      complete: () => {},
    });
  }

  function showProblem(error) {
    setLive(`Not updating: ${error.message ?? 'the connection failed'}`, false);
  }

  // ---- the five numbers -------------------------------------------------------------------------------------------

  /** One metric's card: its value, its change on the previous period (`change.trend` > 0 is up) and its sample. */
  function setKpi(id, value, change, note) {
    const kpi = $(`#${id}`);
    $('.kpi-value', kpi).textContent = value;
    const changeLine = $('.kpi-change', kpi);
    changeLine.textContent = change.text;
    changeLine.className = `kpi-change ${change.trend > 0 ? 'up' : change.trend < 0 ? 'down' : ''}`;
    $('.kpi-note', kpi).textContent = note;
  }

  const NO_CHANGE_KNOWN = { text: '', trend: 0 };

  function countChange(now, before) {
    if (before === undefined) return NO_CHANGE_KNOWN;
    const previous = PERIOD_WORDS[state.days];
    if (before === 0) return { text: now === 0 ? `No change from the ${previous}` : `Up from none in the ${previous}`, trend: now };
    const change = (now - before) / before;
    return { text: `${change >= 0 ? '▲ +' : '▼ '}${(change * 100).toFixed(0)} % on the ${previous}`, trend: change };
  }

  /** A rate's change in percentage points (a relative change of a rate misleads). */
  function rateChange(now, before) {
    if (now === null || now === undefined || before === null || before === undefined) return NO_CHANGE_KNOWN;
    const points = (now - before) * 100;
    if (Math.abs(points) < 0.05) return { text: `No change from the ${PERIOD_WORDS[state.days]}`, trend: 0 };
    return { text: `${points > 0 ? '▲ +' : '▼ '}${points.toFixed(1)} points on the ${PERIOD_WORDS[state.days]}`, trend: points };
  }

  function sampleNote(proportion, what) {
    if (!proportion || proportion.denominator === 0) return `No ${what} yet`;
    const base = `${numberFormat.format(proportion.numerator)} of ${numberFormat.format(proportion.denominator)} ${what}`;
    return proportion.sampleTooSmall ? `${base} · too few to mean much yet` : `${base} · 95 % CI ${percent(proportion.low)}–${percent(proportion.high)}`;
  }

  function renderTotals(metrics) {
    const previous = state.previous;
    const issued = metrics.issuance.issued;
    const perPeriod = { DAY: 'a day', WEEK: 'a week', MONTH: 'a month' }[INTERVAL_FOR_DAYS[state.days]];
    setKpi('kpi-issued', numberFormat.format(issued), countChange(issued, previous?.issuance.issued),
      `${rateFormat.format(metrics.issuance.perPeriod)} ${perPeriod} · ${numberFormat.format(metrics.issuance.claimed)} claimed`);
    $('#kpi-issued').dataset.issued = String(issued);

    const share = metrics.sharing.rate;
    setKpi('kpi-shared', percent(share.rate), rateChange(share.rate, previous?.sharing.rate.rate), sampleNote(share, 'recipients shared'));

    const verified = metrics.verification.rate;
    const perCredential = metrics.verification.verificationsPerCredential;
    setKpi('kpi-verified', percent(verified.rate), rateChange(verified.rate, previous?.verification.rate.rate),
      `${sampleNote(verified, 'credentials checked by third parties')}${perCredential ? ` · ${perCredential.toFixed(2)} checks each` : ''}`);

    const pathways = metrics.pathwayCompletion;
    if (pathways.rate) {
      const median = pathways.medianDaysToComplete === null ? '' : ` · median ${Math.round(pathways.medianDaysToComplete)} days`;
      setKpi('kpi-pathways', percent(pathways.rate.rate), rateChange(pathways.rate.rate, previous?.pathwayCompletion.rate?.rate), `${sampleNote(pathways.rate, 'starters completed')}${median}`);
    } else {
      // No rate until pathway starts are recorded: the completions themselves, and the schema's reason.
      setKpi('kpi-pathways', numberFormat.format(pathways.completed), countChange(pathways.completed, previous?.pathwayCompletion.completed),
        `Completions in the period. ${pathways.unavailableReason ?? ''}`);
    }

    const career = metrics.careerImpact;
    const after = career?.afterEarning;
    const note = career?.statement ?? (career
      ? `${numberFormat.format(after.numerator)} of ${numberFormat.format(after.denominator)} earners moved within ${career.windowMonths} months · ${percent(career.beforeEarning.rate)} in the ${career.windowMonths} months before · ${percent(career.withoutCredential.rate)} of people without it`
      : '');
    setKpi('kpi-career', percent(after?.rate), rateChange(after?.rate, previous?.careerImpact?.afterEarning.rate), note);
  }

  // ---- charts -----------------------------------------------------------------------------------------------------

  const charts = {};
  const COLORS = { issued: '#2f5d8a', claimed: '#0f7b6c', shared: '#c2570c', verified: '#7c3aed' };

  function periodLabel(periodStart, interval) {
    const date = new Date(`${periodStart}T00:00:00Z`);
    const options = interval === 'MONTH' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
    return date.toLocaleDateString('en', options);
  }

  function chartOptions(element, series, bars, interval) {
    const styles = getComputedStyle(document.documentElement);
    const ink = styles.getPropertyValue('--muted').trim() || '#4d5360';
    const grid = styles.getPropertyValue('--line').trim() || '#d6d8dc';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      width: Math.max(element.clientWidth, 280),
      height: 240,
      legend: { show: false },
      // Room on the right for the last period's label.
      padding: [12, 28, 0, 0],
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Bars stand on their period's start: half a period of room at each end keeps the first and last whole.
        x: bars ? { time: true, range: (u, min, max) => { const half = (max - min) / Math.max(1, u.data[0].length - 1) / 2 || 43_200; return [min - half, max + half]; } } : { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((tick) => periodLabel(new Date(tick * 1000).toISOString().slice(0, 10), interval)) },
        { ...axis, size: 48, values: (_u, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? numberFormat.format(tick) : '')) },
      ],
      series: [{}, ...series.map(({ label, color }) => ({
        label,
        stroke: color,
        width: 2,
        fill: bars ? `${color}cc` : `${color}1f`,
        points: { show: !bars },
        paths: bars ? uPlot.paths.bars({ size: [0.7, 48], radius: 0.15 }) : undefined,
      }))],
    };
  }

  function draw(id, data, series, bars, interval) {
    const element = $(`#${id}`);
    if (charts[id] && charts[id].interval === interval) {
      charts[id].plot.setData(data);
      return;
    }
    charts[id]?.plot.destroy();
    charts[id] = { interval, plot: new uPlot(chartOptions(element, series, bars, interval), data, element) };
  }

  function renderCharts(periods, interval) {
    const x = periods.map((period) => Date.parse(`${period.periodStart}T00:00:00Z`) / 1000);
    const issued = periods.map((period) => period.issued);
    const total = issued.reduce((sum, value) => sum + value, 0);
    draw('chart-issued', [x, issued], [{ label: 'Issued', color: COLORS.issued }], true, interval);
    draw('chart-engagement', [x, periods.map((p) => p.claimed), periods.map((p) => p.shared), periods.map((p) => p.thirdPartyVerifications)],
      [{ label: 'Claimed', color: COLORS.claimed }, { label: 'Shared', color: COLORS.shared }, { label: 'Verified by third parties', color: COLORS.verified }], false, interval);
    const busiest = periods.reduce((best, period) => (period.issued > (best?.issued ?? -1) ? period : best), null);
    $('#chart-issued-caption').textContent = `${numberFormat.format(total)} credentials issued in ${periods.length} ${interval.toLowerCase()}s${busiest && busiest.issued > 0 ? `; the most, ${numberFormat.format(busiest.issued)}, in the ${interval.toLowerCase()} from ${periodLabel(busiest.periodStart, interval)}` : ''}. Every figure is in the table below.`;
    $('#chart-issued').dataset.total = String(total);
    const rows = periods.map((period) => row([periodLabel(period.periodStart, interval), period.issued, period.claimed, period.shared, period.thirdPartyVerifications]));
    $('#series tbody').replaceChildren(...rows.reverse());
  }

  function row(cells, header = true) {
    const tr = document.createElement('tr');
    cells.forEach((cell, index) => {
      const td = document.createElement(index === 0 && header ? 'th' : 'td');
      if (index === 0 && header) td.scope = 'row';
      if (typeof cell === 'number') {
        td.className = 'num';
        td.textContent = numberFormat.format(cell);
      } else td.textContent = cell;
      if (index > 0 && typeof cell === 'string') td.className = 'num';
      tr.append(td);
    });
    return tr;
  }

  addEventListener('resize', () => {
    for (const id of Object.keys(charts)) charts[id].plot.setSize({ width: Math.max($(`#${id}`).clientWidth, 280), height: 240 });
  });

  // ---- tables -----------------------------------------------------------------------------------------------------

  function scheduleTables(span) {
    // A burst of pushes (a bulk issuance) reads the per-achievement figures once, a moment after it settles.
    clearTimeout(tablesTimer);
    tablesTimer = setTimeout(() => loadTables(span), state.tablesLoaded ? 1500 : 0);
  }

  async function loadTables(span) {
    state.tablesLoaded = true;
    const shown = state;
    let data;
    try {
      data = await ask(TABLES, { id: issuerId, from: span.from, to: span.to, interval: span.interval });
    } catch (error) {
      return showProblem(error);
    }
    if (state !== shown) return; // the period changed while this was asked
    const rateCell = (rate) => (rate.denominator === 0 ? '–' : percent(rate.rate));
    const achievements = data.issuer.achievements.edges.map((edge) => edge.node).filter((node) => node.metrics);
    achievements.sort((a, b) => b.metrics.issuance.issued - a.metrics.issuance.issued);
    $('#achievements tbody').replaceChildren(...(achievements.length
      ? achievements.map(({ name, metrics }) => row([name, metrics.issuance.issued, rateCell(metrics.sharing.rate), rateCell(metrics.verification.rate), metrics.verification.verifications]))
      : [emptyRow('No achievements yet.')]));
    const pathways = data.issuer.pathways;
    for (const { id, name } of pathways) pathwayNames.set(id, name);
    const pathwayRow = ({ name, metrics }) => {
      if (!metrics) return row([name, 0, 0, '–', '–']);
      const p = metrics.pathwayCompletion;
      return row([name, p.started, p.completed, p.rate ? rateCell(p.rate) : '–', p.medianDaysToComplete === null ? '–' : String(Math.round(p.medianDaysToComplete))]);
    };
    $('#pathways tbody').replaceChildren(...(pathways.length ? pathways.map(pathwayRow) : [emptyRow('No pathways yet.')]));
  }

  function emptyRow(text) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.className = 'muted';
    td.textContent = text;
    tr.append(td);
    return tr;
  }

  // ---- live events ------------------------------------------------------------------------------------------------

  // Later events about a credential (delivered, shared, verified) carry only its id: name it as its issuance did.
  const credentialNames = new Map();
  const pathwayNames = new Map();

  function eventLine(event) {
    const payload = event.payload ?? {};
    const known = credentialNames.get(payload.credentialId);
    const what = payload.name ?? payload.achievementName ?? payload.pathwayName ?? pathwayNames.get(payload.pathwayId) ?? known?.what ?? '';
    const who = payload.recipient?.name ?? known?.who ?? '';
    if (payload.credentialId && what && !known) credentialNames.set(payload.credentialId, { what, who });
    if (credentialNames.size > 1000) credentialNames.delete(credentialNames.keys().next().value);
    let words = EVENT_WORDS[event.type] ?? event.type.toLowerCase().replaceAll('_', ' ');
    if (event.type === 'CREDENTIAL_VERIFIED' && payload.relyingParty) words = `Verified (${String(payload.relyingParty).toLowerCase().replaceAll('_', ' ')})`;
    const item = document.createElement('li');
    item.className = `feed-item feed-${event.type.toLowerCase()}`;
    const time = document.createElement('time');
    time.dateTime = event.occurredAt;
    time.textContent = new Date(event.occurredAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const label = document.createElement('strong');
    label.textContent = words;
    const detail = document.createElement('span');
    detail.textContent = [what, who].filter(Boolean).join(' · ');
    item.append(time, label, detail);
    return item;
  }

  let lastCursor = null;

  function follow() {
    stopFeed();
    stopFeed = client.subscribe({ query: FEED, variables: { issuerId, after: lastCursor } }, {
      next: (result) => {
        if (result.errors) return showProblem(new Error(result.errors[0].message));
        lastCursor = result.data.credentialEvents.cursor;
        const feed = $('#feed');
        $('#feed-empty').hidden = true;
        feed.prepend(eventLine(result.data.credentialEvents));
        while (feed.children.length > FEED_LENGTH) feed.lastElementChild.remove();
      },
      error: showProblem,
      complete: () => {},
    });
  }

  $('#period').addEventListener('change', (event) => start(Number(event.target.value)));
  addEventListener('pagehide', () => {
    stopFeed();
    stopMetrics();
    client.dispose();
  });
  start(365);
  follow();
})();
