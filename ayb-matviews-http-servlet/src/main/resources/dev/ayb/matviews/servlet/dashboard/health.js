// The health summary above the views table: what GET /api/admin/health reports, "All N views healthy" or
// "K of N views unhealthy" with each unhealthy view, why in words, and its last error. Not a live region: the
// list would be read out at every reload, and the table's status badges say the same thing.

import {api, segment} from './api.js';
import {errorText, h, qualifiedName, timeElement} from './dom.js';

/** The route's problem names, as a sentence says them. */
const PROBLEMS = {
  failing: () => 'its last refresh failed',
  behind: (view) => (view.behindSince
    ? ['behind its sources since ', timeElement(view.behindSince)] : 'behind its sources'),
  target_missed: () => 'missing its target lag',
};

/** A section to place in the page, and load() to fetch and draw it again (the latest answer wins). */
export function healthSummary(ctx) {
  const element = h('section', {id: 'views-health', class: 'health', 'aria-label': 'Health', hidden: true});
  let asked = 0;

  async function load() {
    const mine = ++asked;
    let report;
    try {
      report = await fetchReport();
    } catch (e) {
      if (ctx.alive() && mine === asked && e.status !== 401) {
        draw(h('p', {class: 'muted', id: 'health-unavailable'}, `The health report could not be read: ${e.message}`));
      }
      return;
    }
    if (ctx.alive() && mine === asked) {
      draw(...(report.views ? describe(report) : []));
    }
  }

  function draw(...children) {
    element.replaceChildren(...children);
    element.hidden = children.length === 0;
    element.className = `health${element.querySelector('#health-list') ? ' callout callout-warning' : ''}`;
  }

  return {element, load};
}

/** The route answers 503 with the same report when any view is unhealthy: that is a report, not a failure. */
async function fetchReport() {
  try {
    return await api('health');
  } catch (e) {
    if (e.status === 503 && e.body && Array.isArray(e.body.unhealthy)) {
      return e.body;
    }
    throw e;
  }
}

function describe(report) {
  const total = `${report.views} view${report.views === 1 ? '' : 's'}`;
  const checked = h('span', {class: 'muted'}, ' (checked ', timeElement(report.checkedAt), ')');
  if (!report.unhealthy.length) {
    return [h('p', {id: 'health-summary', 'data-health': 'healthy'},
        report.views === 1 ? 'The view is healthy' : `All ${total} healthy`, checked)];
  }
  return [
    h('p', {id: 'health-summary', 'data-health': 'unhealthy'},
        h('strong', {}, `${report.unhealthy.length} of ${total} unhealthy`), checked),
    h('ul', {class: 'plain-list', id: 'health-list'}, report.unhealthy.map(unhealthyView)),
  ];
}

function unhealthyView(view) {
  const name = qualifiedName(view);
  const reasons = view.problems.map((problem) => (PROBLEMS[problem] ? PROBLEMS[problem](view) : problem));
  return h('li', {'data-view': name, 'data-problems': view.problems.join(' ')},
      h('a', {href: `#/views/${segment(view.id)}`}, h('code', {}, name)), ': ',
      h('span', {'data-field': 'problems'}, reasons.map((reason, i) => [i ? '; ' : '', reason])),
      view.lastRefreshError ? [' — ', errorText(view.lastRefreshError, 100)] : null);
}
