// Materialized views: the registrations table with the health summary above it, one view's page with its
// refresh history and tracked sources, and the Register, Refresh (if changed), Edit mode and Unregister flows.

import {api, segment} from './api.js';
import {historyChart} from './chart.js';
import {onEvents} from './events.js';
import {
  clear, errorText, exactTime, formatDuration, freshnessBadge, h, LOCALE, loading, qualifiedName, spinner, srOnly,
  statusBadge, timeElement,
} from './dom.js';
import {healthSummary} from './health.js';
import {filterBox, pager, sortableHeader} from './listing.js';

// ---- the list ----

export function renderViews(main, ctx) {
  const registerButton = h('button', {type: 'button', class: 'button primary', id: 'register-open'},
      'Register view');
  const reloadButton = h('button', {type: 'button', class: 'button', id: 'views-reload'}, 'Reload');
  // Not a live region: a reload would read the whole table out; notices (#notice, #alert) say what changed.
  const body = h('div', {id: 'views-body'});
  const health = healthSummary(ctx);
  const query = {page: 1, filter: '', order: {key: 'schemaName', descending: false}};
  const filter = filterBox({id: 'views-filter', label: 'Filter views',
    hint: 'Part of a name or schema, or a mode or status: standard, concurrent, success, error, never.',
    onChange: (text) => {
      query.filter = text;
      query.page = 1;
      loadTable({quiet: true});
    }});
  main.replaceChildren(
      h('div', {class: 'page-header'},
          h('h1', {tabindex: '-1'}, 'Materialized views'),
          h('div', {class: 'page-actions'}, reloadButton, registerButton)),
      h('p', {class: 'lead'}, 'The materialized views ayb manages: how and when each was last refreshed, ',
          'how old its data is (the start of its last successful refresh) and, for views whose changes are ',
          'tracked, whether a source changed since. ',
          'Registering or unregistering never creates or drops a view.'),
      health.element,
      h('div', {class: 'list-toolbar', role: 'search'}, filter.field),
      body);

  let shown = new Map();
  let inFlight = null;
  let drawn = 0;

  /** The table and the health summary: both follow every reload and live event. */
  function load(options) {
    health.load();
    return loadTable(options);
  }

  /** The table alone: another filter, sort or page changes what is shown, not how healthy the views are. */
  function loadTable(options) {
    const mine = ++drawn;
    inFlight = fetchAndDraw(options, mine).finally(() => {
      if (mine === drawn) {
        inFlight = null;
      }
    });
    return inFlight;
  }

  /** quiet: a live update, which keeps the table on screen until the new one is ready. */
  async function fetchAndDraw(options, mine, focused = focusedControl()) {
    body.setAttribute('aria-busy', 'true');
    if (!(options && options.quiet === true) || !body.firstChild) {
      body.replaceChildren(loading('Loading materialized views…'));
    }
    try {
      const started = performance.now();
      const list = await api('matviews', {query: {page: query.page, perPage: PER_PAGE, filter: query.filter,
        sort: `${query.order.descending ? '-' : ''}${query.order.key}`}});
      if (!ctx.alive() || mine !== drawn) {
        return;
      }
      if (list.totalPages > 0 && query.page > list.totalPages) {
        // The last page emptied (an unregister, another filter): show the new last page instead.
        query.page = list.totalPages;
        return fetchAndDraw(options, mine, focused);
      }
      shown = new Map(list.items.map((registration) => [qualifiedName(registration), registration]));
      body.replaceChildren(...(list.items.length
        ? [viewsTable(list.items, ctx, load, query.order, sortBy), pager({id: 'views-pager', page: list.page,
          totalPages: list.totalPages, totalItems: list.totalItems, noun: list.totalItems === 1 ? 'view' : 'views',
          locale: LOCALE, onPage: (page) => {
            query.page = page;
            loadTable({quiet: true});
          }})]
        : [query.filter ? noMatch(query.filter) : emptyState(registerButton)]));
      const again = focused && body.querySelector(`[data-sort="${focused}"], [data-page="${focused}"]:not([disabled])`);
      if (again) {
        again.focus();
      }
      body.dataset.renderMs = String(Math.round(performance.now() - started));
    } catch (e) {
      if (ctx.alive() && e.status !== 401) {
        body.replaceChildren(errorState('The materialized views could not be loaded', e, load));
      }
    } finally {
      if (mine === drawn) {
        body.removeAttribute('aria-busy');
      }
    }
  }

  /** A click on a header or the pager redraws it: the focus goes back to the same control. */
  function focusedControl() {
    const active = document.activeElement;
    return active && active.dataset && body.contains(active) ? active.dataset.sort || active.dataset.page : null;
  }

  function sortBy(order) {
    query.order = order;
    query.page = 1;
    loadTable({quiet: true});
  }

  registerButton.addEventListener('click', () => openRegisterDialog(ctx, load));
  reloadButton.addEventListener('click', () => load());
  // A refresh anywhere in the deployment, or a source change making a view behind: status, data age and
  // freshness follow without a reload.
  // A refresh this page made itself is drawn by the reload that follows it; its event then finds it shown.
  onEvents(ctx, ['refresh', 'behind'], async (event) => {
    if (inFlight) {
      await inFlight;
    }
    const registration = shown.get(`${event.data.schemaName}.${event.data.viewName}`);
    if (ctx.alive() && !(registration && alreadyShown(registration, event))) {
      load({quiet: true});
    } else if (ctx.alive()) {
      // A view on another page of the list, or one filtered out, still counts in the summary.
      health.load();
    }
  });
  load();
}

/** Rows per page: enough to scan, few enough to draw at once whatever the number of views. */
const PER_PAGE = 50;

function noMatch(filter) {
  return h('div', {class: 'empty-state', id: 'views-no-match'},
      h('p', {}, h('strong', {}, `No materialized view matches “${filter}”.`)),
      h('p', {}, 'Try part of a name or schema, or one of: standard, concurrent, success, error, never.'));
}

/** Whether a registration as drawn already shows what an event says. */
function alreadyShown(registration, event) {
  if (event.type === 'behind') {
    return Boolean(registration.freshness) && registration.freshness.state === 'behind';
  }
  return registration.lastRefreshAt === event.data.lastRefreshAt
      && registration.lastSuccessAt === event.data.lastSuccessAt
      && (event.data.skipped || registration.lastRefreshStatus === event.data.status);
}

function emptyState(registerButton) {
  return h('div', {class: 'empty-state', id: 'views-empty'},
      h('p', {}, h('strong', {}, 'No materialized view is registered yet.')),
      h('p', {}, 'Register one of the materialized views in your database to refresh it from here, ',
          'see its history and schedule it.'),
      h('button', {type: 'button', class: 'button primary', on: {click: () => registerButton.click()}},
          'Register a view'));
}

export function errorState(what, error, retry) {
  return h('div', {class: 'error-state', role: 'alert'},
      h('p', {}, h('strong', {}, `${what}.`), ' ', error.message),
      h('button', {type: 'button', class: 'button', on: {click: retry}}, 'Try again'));
}

/** The columns, each with the wire field the server sorts it by (none for those computed per view). */
const COLUMNS = [['Schema', 'schemaName'], ['View', 'viewName'], ['Mode', 'refreshMode'],
  ['Status', 'lastRefreshStatus'], ['Last refresh', 'lastRefreshAt'], ['Duration', 'lastRefreshDurationMs'],
  ['Data as of', 'lastSuccessAt'], ['Freshness'], ['Target lag'], ['Lag'], ['Error']];

function viewsTable(items, ctx, reload, order, onSort) {
  const rows = items.map((registration) => viewRow(registration, ctx, reload));
  return h('table', {class: 'data-table', id: 'views-table'},
      h('caption', {class: 'sr-only'}, 'Registered materialized views'),
      h('thead', {}, h('tr', {},
          COLUMNS.map(([title, key]) => sortableHeader(title, key, order, onSort)),
          h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
      h('tbody', {}, rows));
}

function viewRow(registration, ctx, reload) {
  const name = qualifiedName(registration);
  const statusCell = h('td', {'data-label': 'Status', 'data-field': 'status'},
      statusBadge(registration.lastRefreshStatus));
  const refreshButton = actionButton('refresh', 'Refresh', name);
  const ifChangedButton = registration.changeTracking
      ? actionButton('refresh-if-changed', 'Refresh if changed', name) : null;
  const row = h('tr', {'data-view': name, 'data-id': registration.id},
      h('td', {'data-label': 'Schema'}, registration.schemaName),
      h('th', {scope: 'row', 'data-label': 'View'},
          h('a', {href: `#/views/${segment(registration.id)}`, 'data-field': 'link'}, registration.viewName)),
      h('td', {'data-label': 'Mode', 'data-field': 'mode'}, modeLabel(registration.refreshMode)),
      statusCell,
      h('td', {'data-label': 'Last refresh', 'data-field': 'last-refresh'},
          timeElement(registration.lastRefreshAt, 'never')),
      h('td', {'data-label': 'Duration', 'data-field': 'duration'},
          formatDuration(registration.lastRefreshDurationMs)),
      h('td', {'data-label': 'Data as of', 'data-field': 'data-age'}, dataAge(registration)),
      h('td', {'data-label': 'Freshness', 'data-field': 'freshness'}, freshnessBadge(registration.freshness)),
      h('td', {'data-label': 'Target lag', 'data-field': 'target-lag'}, targetLag(registration)),
      h('td', {'data-label': 'Lag', 'data-field': 'lag'}, lag(registration)),
      h('td', {'data-label': 'Error', 'data-field': 'error'}, errorText(registration.lastRefreshError)),
      h('td', {class: 'actions-cell'}, h('div', {class: 'row-actions'},
          refreshButton,
          ifChangedButton,
          actionButton('mode', 'Edit settings', name, () => openModeDialog(ctx, registration, reload)),
          actionButton('unregister', 'Unregister', name, () => unregister(ctx, registration, reload), 'danger'))));
  refreshButton.addEventListener('click', () => refresh(ctx, registration, refreshButton, statusCell, reload));
  if (ifChangedButton) {
    ifChangedButton.addEventListener('click',
        () => refresh(ctx, registration, ifChangedButton, statusCell, reload, true));
  }
  return row;
}

/** The view's target lag, or a dash when it has none. */
function targetLag(registration) {
  return registration.targetLagMs ? formatDuration(registration.targetLagMs) : h('span', {class: 'muted'}, '—');
}

/**
 * How far behind the view is now, and when the job runner plans to refresh it to meet its target; over the
 * target, the lag is marked so that a missed target stands out.
 */
function lag(registration) {
  const freshness = registration.freshness || {};
  const missed = registration.targetLagMs && freshness.lagMs > registration.targetLagMs;
  return h('span', {class: missed ? 'error-text' : '', 'data-missed': missed ? 'true' : 'false'},
      formatDuration(freshness.lagMs),
      freshness.nextRefreshAt
        ? h('span', {class: 'muted', 'data-field': 'next-refresh'}, ' · refresh ',
            timeElement(freshness.nextRefreshAt))
        : null);
}

/**
 * How old the view's data is: the start of its last successful refresh, as a relative time with the exact
 * time in its title. A failed refresh leaves it, so it can be older than the last refresh.
 */
function dataAge(registration) {
  return timeElement(registration.lastSuccessAt, 'never');
}

function actionButton(action, label, name, onClick, kind = '') {
  return h('button', {type: 'button', class: `button small ${kind}`.trim(), 'data-action': action,
    on: onClick ? {click: onClick} : null}, label, srOnly(` ${name}`));
}

function modeLabel(mode) {
  return h('span', {class: `mode mode-${mode}`}, mode);
}

// ---- actions shared by the list and a view's page ----

/** With ifChanged, the server skips the refresh of a tracked view no source change has made behind. */
async function refresh(ctx, registration, button, statusCell, done, ifChanged = false) {
  const name = qualifiedName(registration);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.replaceChildren(spinner(), ' Refreshing…', srOnly(` ${name}`));
  statusCell.replaceChildren(statusBadge('refreshing'));
  ctx.notify(`Refreshing ${name}…`, {progress: true});
  try {
    const result = await api(`matviews/${segment(registration.id)}/refresh`,
        {method: 'POST', query: ifChanged ? {ifChanged: 'true'} : undefined});
    ctx.notify(result.skipped ? `Skipped ${name}: ${result.reason}.`
        : `Refreshed ${name} in ${formatDuration(result.durationMs)}.`);
  } catch (e) {
    if (e.status === 401) {
      return;
    }
    ctx.alert(e.status === 409
        ? `${name} is being refreshed already (409 refresh already in progress). Wait for that refresh to finish, `
          + 'then try again.'
        : `Refreshing ${name} failed (${e.status || 'network'}): ${e.message}`);
  }
  if (ctx.alive()) {
    done();
  }
}

async function unregister(ctx, registration, done) {
  const name = qualifiedName(registration);
  const confirmed = await ctx.confirm({
    title: `Unregister ${name}?`,
    message: `ayb stops managing ${name} and deletes its refresh history. The materialized view itself is not `
        + 'dropped: it stays in the database with its data, and it can be registered again.',
    confirmLabel: 'Unregister',
  });
  if (!confirmed) {
    return;
  }
  try {
    await api(`matviews/${segment(registration.id)}`, {method: 'DELETE'});
    ctx.notify(`Unregistered ${name}. The materialized view itself was not dropped.`);
  } catch (e) {
    if (e.status !== 401) {
      ctx.alert(`Unregistering ${name} failed: ${e.message}`);
    }
  }
  if (ctx.alive()) {
    done();
  }
}

/** The discovered views by schema.view; an empty map when they cannot be read. */
async function discovered() {
  const list = await api('matviews/discovered');
  return new Map(list.items.map((item) => [qualifiedName(item), item]));
}

/** What the database says about the modes a view can use: concurrent needs a unique index, swap no dependants. */
function modesHint(item) {
  if (!item) {
    return '';
  }
  const concurrent = item.concurrentRefreshBlocker
      ? `Concurrent refresh is not possible for ${qualifiedName(item)}: ${item.concurrentRefreshBlocker}.`
      : `${qualifiedName(item)} can be refreshed concurrently: it is populated and has a unique index.`;
  const swap = item.swapRefreshBlocker
      ? ` Swap refresh is not possible: ${item.swapRefreshBlocker}.`
      : ' It can be refreshed by swap: no other view depends on it.';
  return concurrent + swap;
}

function openRegisterDialog(ctx, done) {
  const dialog = document.getElementById('register-dialog');
  const form = document.getElementById('register-form');
  const select = document.getElementById('register-view');
  const hint = document.getElementById('register-view-hint');
  const concurrent = document.getElementById('register-mode-concurrent');
  const standard = document.getElementById('register-mode-standard');
  const why = document.getElementById('register-concurrent-why');
  const swap = document.getElementById('register-mode-swap');
  const swapWhy = document.getElementById('register-swap-why');
  const error = document.getElementById('register-error');
  const submit = document.getElementById('register-submit');
  let candidates = new Map();

  form.reset();
  error.textContent = '';
  why.textContent = '';
  swapWhy.textContent = '';
  hint.textContent = '';
  select.replaceChildren(h('option', {value: ''}, 'Loading discovered views…'));
  select.disabled = true;
  submit.disabled = true;

  const update = () => {
    const item = candidates.get(select.value);
    hint.textContent = modesHint(item);
    const blocked = !item || Boolean(item.concurrentRefreshBlocker);
    concurrent.disabled = blocked;
    why.textContent = item && item.concurrentRefreshBlocker ? `Concurrent is unavailable: ${item.concurrentRefreshBlocker}` : '';
    const swapBlocked = !item || Boolean(item.swapRefreshBlocker);
    swap.disabled = swapBlocked;
    swapWhy.textContent = item && item.swapRefreshBlocker ? `Swap is unavailable: ${item.swapRefreshBlocker}` : '';
    if ((blocked && concurrent.checked) || (swapBlocked && swap.checked)) {
      standard.checked = true;
    }
  };
  select.onchange = update;

  form.onsubmit = async (event) => {
    event.preventDefault();
    const item = candidates.get(select.value);
    if (!item) {
      error.textContent = 'Choose a materialized view.';
      select.focus();
      return;
    }
    const mode = form.elements.mode.value;
    const changeTracking = form.elements.changeTracking.checked;
    submit.disabled = true;
    error.textContent = '';
    try {
      await api('matviews', {method: 'POST',
        body: {viewName: item.viewName, schema: item.schemaName, refreshMode: mode, changeTracking}});
      dialog.close('done');
      ctx.notify(`Registered ${qualifiedName(item)} in ${mode} mode${changeTracking ? ', with change tracking' : ''}.`);
      if (ctx.alive()) {
        done();
      }
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) {
        error.textContent = `Registering failed (${e.status || 'network'}): ${e.message}`;
      }
    }
  };

  dialog.showModal();
  discovered().then((all) => {
    candidates = new Map([...all].filter(([, item]) => !item.registered));
    if (!candidates.size) {
      select.replaceChildren(h('option', {value: ''}, 'No unregistered materialized view'));
      hint.textContent = 'Every materialized view in the database is registered already. Create one with '
          + 'CREATE MATERIALIZED VIEW, then open this dialog again.';
      return;
    }
    select.replaceChildren(...[...candidates.values()].map((item) => h('option', {value: qualifiedName(item)},
        `${qualifiedName(item)} — ${(item.refreshModes || ['standard']).join(', ')}`)));
    select.disabled = false;
    submit.disabled = false;
    update();
    select.focus();
  }).catch((e) => {
    if (e.status !== 401) {
      select.replaceChildren(h('option', {value: ''}, 'Unavailable'));
      error.textContent = `The materialized views of the database could not be listed: ${e.message}`;
    }
  });
}

function openModeDialog(ctx, registration, done) {
  const dialog = document.getElementById('mode-dialog');
  const form = document.getElementById('mode-form');
  const concurrent = document.getElementById('mode-concurrent');
  const standard = document.getElementById('mode-standard');
  const why = document.getElementById('mode-concurrent-why');
  const swap = document.getElementById('mode-swap');
  const swapWhy = document.getElementById('mode-swap-why');
  const error = document.getElementById('mode-error');
  const submit = document.getElementById('mode-submit');
  const name = qualifiedName(registration);

  const target = document.getElementById('mode-target-lag');
  const statementTimeout = document.getElementById('mode-statement-timeout');
  const lockTimeout = document.getElementById('mode-lock-timeout');
  form.reset();
  statementTimeout.value = registration.statementTimeoutMs ? String(registration.statementTimeoutMs) : '';
  lockTimeout.value = registration.lockTimeoutMs ? String(registration.lockTimeoutMs) : '';
  document.getElementById('mode-view').textContent = name;
  target.value = registration.targetLagMs ? String(registration.targetLagMs / 1000) : '';
  ({concurrent, swap}[registration.refreshMode] || standard).checked = true;
  concurrent.disabled = false;
  swap.disabled = false;
  why.textContent = '';
  swapWhy.textContent = '';
  error.textContent = '';
  submit.disabled = false;

  form.onsubmit = async (event) => {
    event.preventDefault();
    const mode = form.elements.mode.value;
    const seconds = target.value.trim();
    const targetLagMs = seconds === '' ? null : Math.round(Number(seconds) * 1000);
    if (targetLagMs !== null && !(targetLagMs > 0)) {
      error.textContent = 'The target lag is a positive number of seconds, or empty for none.';
      target.focus();
      return;
    }
    const timeouts = {};
    for (const [input, field] of [[statementTimeout, 'statementTimeoutMs'], [lockTimeout, 'lockTimeoutMs']]) {
      const text = input.value.trim();
      const ms = text === '' ? null : Number(text);
      input.removeAttribute('aria-invalid');
      if (ms !== null && !(Number.isInteger(ms) && ms > 0)) {
        error.textContent = 'A timeout is a positive whole number of milliseconds, or empty for the default.';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      timeouts[field] = ms;
    }
    submit.disabled = true;
    try {
      await api(`matviews/${segment(registration.id)}`, {method: 'PATCH',
        body: {refreshMode: mode, targetLagMs, ...timeouts}});
      dialog.close('done');
      ctx.notify(`${name} now refreshes in ${mode} mode`
          + `${targetLagMs ? `, within ${formatDuration(targetLagMs)} of its sources` : ''}.`);
      if (ctx.alive()) {
        done();
      }
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) {
        error.textContent = `Changing the mode failed (${e.status || 'network'}): ${e.message}`;
      }
    }
  };
  dialog.showModal();
  // Whether concurrent or swap is possible is the database's answer; without it the server still checks.
  discovered().then((all) => {
    const item = all.get(name);
    if (item && item.concurrentRefreshBlocker) {
      why.textContent = `Concurrent is unavailable: ${item.concurrentRefreshBlocker}`;
      concurrent.disabled = registration.refreshMode !== 'concurrent';
    }
    if (item && item.swapRefreshBlocker) {
      swapWhy.textContent = `Swap is unavailable: ${item.swapRefreshBlocker}`;
      swap.disabled = registration.refreshMode !== 'swap';
    }
  }).catch(() => {});
}

// ---- one view ----

export function renderViewDetail(main, ctx, id) {
  const heading = h('h1', {tabindex: '-1'}, 'Materialized view');
  const actions = h('div', {class: 'page-actions'});
  const body = h('div', {id: 'view-body'});
  // Outside the body, which every reload (a live event included) draws again: the outcome stays until the next one.
  const cascadeResult = h('section', {id: 'cascade-result', 'aria-labelledby': 'cascade-title', hidden: true});
  main.replaceChildren(
      h('p', {class: 'breadcrumb'}, h('a', {href: '#/views'}, '← Materialized views')),
      h('div', {class: 'page-header'}, heading, actions),
      cascadeResult,
      body);

  let shown = null;
  let newestRun = 0;
  /** The cascade direction chosen last: a reload draws the control again with it. */
  const cascade = {direction: 'upstream'};
  let inFlight = null;

  function load() {
    inFlight = fetchAndDraw().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  async function fetchAndDraw() {
    body.setAttribute('aria-busy', 'true');
    if (!body.firstChild) {
      body.replaceChildren(loading('Loading the view and its refresh history…'));
    }
    try {
      const [registration, history] = await Promise.all([
        api(`matviews/${segment(id)}`),
        api(`matviews/${segment(id)}/history`, {query: {limit: 50}}),
      ]);
      if (!ctx.alive()) {
        return;
      }
      shown = registration;
      newestRun = history.items.length ? Number(history.items[0].id) : 0;
      const name = qualifiedName(registration);
      heading.textContent = name;
      document.title = `${name} · ayb matviews`;
      const statusCell = h('dd', {'data-field': 'status'}, statusBadge(registration.lastRefreshStatus));
      const refreshButton = actionButton('refresh', 'Refresh', name);
      refreshButton.classList.remove('small');
      refreshButton.classList.add('primary');
      refreshButton.addEventListener('click', () => refresh(ctx, registration, refreshButton, statusCell, load));
      const ifChangedButton = registration.changeTracking
          ? actionButton('refresh-if-changed', 'Refresh if changed', name) : null;
      if (ifChangedButton) {
        ifChangedButton.addEventListener('click',
            () => refresh(ctx, registration, ifChangedButton, statusCell, load, true));
      }
      // filter(Boolean): replaceChildren would write a missing button out as the text "null".
      actions.replaceChildren(...[
          refreshButton,
          ifChangedButton,
          cascadeControl(ctx, registration, cascade, load),
          actionButton('mode', 'Edit settings', name, () => openModeDialog(ctx, registration, load)),
          actionButton('unregister', 'Unregister', name,
              () => unregister(ctx, registration, () => ctx.go('#/views')), 'danger')].filter(Boolean));
      for (const button of actions.querySelectorAll('.small')) {
        button.classList.remove('small');
      }
      body.replaceChildren(
          summary(registration, statusCell),
          historySection(history.items, registration.targetLagMs),
          h('section', {id: 'sources', 'aria-labelledby': 'sources-title', hidden: true}),
          h('section', {id: 'dependencies', 'aria-labelledby': 'dependencies-title', hidden: true}));
      if (registration.changeTracking) {
        loadSources(ctx, id);
      }
      loadDependencies(ctx, id);
    } catch (e) {
      if (!ctx.alive() || e.status === 401) {
        return;
      }
      if (e.status === 404) {
        heading.textContent = 'Not registered';
        actions.replaceChildren();
        body.replaceChildren(h('div', {class: 'empty-state'},
            h('p', {}, 'This registration does not exist (any more). '),
            h('p', {}, h('a', {href: '#/views'}, 'Back to the materialized views'))));
      } else {
        body.replaceChildren(errorState('This view could not be loaded', e, load));
      }
    } finally {
      body.removeAttribute('aria-busy');
    }
  }
  // This view's refreshes, made anywhere, redraw its status, data age and history chart; one this page made
  // itself is drawn by the reload that follows it, and its event then finds the run shown.
  onEvents(ctx, ['refresh', 'behind'], async (event) => {
    if (inFlight) {
      await inFlight;
    }
    if (!ctx.alive() || !shown || event.data.schemaName !== shown.schemaName
        || event.data.viewName !== shown.viewName) {
      return;
    }
    const drawn = event.type === 'refresh' ? Number(event.id) <= newestRun
        : Boolean(shown.freshness) && shown.freshness.state === 'behind';
    if (!drawn) {
      load();
    }
  });
  load();
}

function summary(registration, statusCell) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h('dl', {class: 'summary', id: 'view-summary'},
      row('Refresh mode', modeLabel(registration.refreshMode)),
      h('dt', {}, 'Status'), statusCell,
      row('Last refresh', registration.lastRefreshAt
          ? [timeElement(registration.lastRefreshAt), h('span', {class: 'muted exact'},
            ` (${exactTime(registration.lastRefreshAt)})`)]
          : h('span', {class: 'muted'}, 'never')),
      h('dt', {}, 'Duration'),
      h('dd', {'data-field': 'duration'}, formatDuration(registration.lastRefreshDurationMs)),
      h('dt', {}, 'Data as of'),
      h('dd', {'data-field': 'data-age'}, dataAge(registration), registration.lastSuccessAt
          ? h('span', {class: 'muted exact'}, ` (${exactTime(registration.lastSuccessAt)})`)
          : null),
      h('dt', {}, 'Freshness'),
      h('dd', {'data-field': 'freshness'}, freshnessBadge(registration.freshness)),
      h('dt', {}, 'Change tracking'),
      h('dd', {'data-field': 'change-tracking'}, registration.changeTracking ? 'on' : 'off'),
      h('dt', {}, 'Target lag'),
      h('dd', {'data-field': 'target-lag'}, targetLag(registration)),
      h('dt', {}, 'Lag'),
      h('dd', {'data-field': 'lag'}, lag(registration)),
      row('Last error', errorText(registration.lastRefreshError, 120)),
      row('Registered', timeElement(registration.createdAt)),
      row('Registration id', h('code', {}, registration.id)));
}

function historySection(runs, targetLagMs) {
  const section = h('section', {class: 'history', 'aria-labelledby': 'history-title'},
      h('h2', {id: 'history-title'}, 'Refresh history'));
  if (!runs.length) {
    section.append(h('div', {class: 'empty-state', id: 'history-empty'},
        h('p', {}, 'No refresh has run yet. Refresh the view to see its first run here.')));
    return section;
  }
  const failures = runs.filter((run) => run.status === 'error').length;
  section.append(h('div', {class: 'history-layout'},
      h('figure', {class: 'chart-card', id: 'history-chart'},
          historyChart(runs, targetLagMs),
          h('figcaption', {},
              h('span', {class: 'legend legend-success'}, 'successful run'),
              h('span', {class: 'legend legend-failure'}, 'failed run'),
              targetLagMs ? h('span', {class: 'legend legend-target'}, 'target lag') : null,
              h('span', {class: 'muted'}, `Last ${runs.length} runs${failures ? `, ${failures} failed` : ''}.`))),
      h('div', {class: 'runs'},
          h('table', {class: 'data-table compact', id: 'runs-table'},
              h('caption', {}, 'Runs, newest first'),
              h('thead', {}, h('tr', {},
                  ['Started', 'Status', 'Duration', 'Trigger, mode', 'Error'].map(
                      (title) => h('th', {scope: 'col'}, title)))),
              h('tbody', {}, runs.map(runRow))))));
  return section;
}

function runRow(run) {
  return h('tr', {'data-run': run.id},
      h('td', {'data-label': 'Started'}, timeElement(run.startedAt)),
      h('td', {'data-label': 'Status'}, statusBadge(run.status)),
      h('td', {'data-label': 'Duration'}, formatDuration(run.durationMs)),
      h('td', {'data-label': 'Trigger, mode'}, run.trigger, h('span', {class: 'muted'}, `, ${run.refreshMode}`)),
      h('td', {'data-label': 'Error'}, errorText(run.error && run.sqlState ? `${run.error} (SQLSTATE ${run.sqlState})`
          : run.error, 60)));
}

/** The base tables a tracked view reads, each with whether its trigger is there; left out when they cannot be read. */
async function loadSources(ctx, id) {
  let sources;
  try {
    sources = await api(`matviews/${segment(id)}/sources`);
  } catch (e) {
    return;
  }
  const section = document.getElementById('sources');
  if (!ctx.alive() || !section) {
    return;
  }
  clear(section).append(
      h('h2', {id: 'sources-title'}, 'Tracked sources'),
      sources.items.length
          ? h('table', {class: 'data-table compact', id: 'sources-table'},
              h('caption', {class: 'sr-only'}, 'Base tables whose changes are tracked'),
              h('thead', {}, h('tr', {},
                  ['Table', 'Partition', 'Trigger', 'Capture'].map((title) => h('th', {scope: 'col'}, title)))),
              h('tbody', {}, sources.items.map((source) => h('tr', {'data-source': qualifiedTable(source)},
                  h('td', {'data-label': 'Table'}, h('code', {}, qualifiedTable(source))),
                  h('td', {'data-label': 'Partition'}, source.partition ? 'yes' : 'no'),
                  h('td', {'data-label': 'Trigger', 'data-field': 'trigger'},
                      source.triggerInstalled ? 'installed' : 'none'),
                  h('td', {'data-label': 'Capture', 'data-field': 'capture'}, captureText(source.capture))))))
          : h('p', {class: 'muted'}, 'No base table found.'));
  section.hidden = false;
}

/** How a source's writes are recorded; without either, the view stays behind. */
function captureText(capture) {
  if (capture === 'trigger') {
    return 'trigger';
  }
  return capture === 'wal' ? 'read from the WAL' : 'missing (the view stays behind)';
}

function qualifiedTable(source) {
  return `${source.schemaName}.${source.tableName}`;
}

/** Upstream and downstream views; left out when the server has no such route (404) or fails. */
async function loadDependencies(ctx, id) {
  let dependencies;
  try {
    dependencies = await api(`matviews/${segment(id)}/dependencies`);
  } catch (e) {
    return;
  }
  const section = document.getElementById('dependencies');
  if (!ctx.alive() || !section) {
    return;
  }
  const list = (names) => (names.length
      ? h('ul', {class: 'plain-list'}, names.map((name) => h('li', {'data-dependency': name},
          h('a', {href: `#/views/${segment(name)}`}, h('code', {}, name)))))
      : h('p', {class: 'muted'}, 'none'));
  clear(section).append(
      h('h2', {id: 'dependencies-title'}, 'Dependencies'),
      h('div', {class: 'two-columns'},
          h('div', {id: 'upstream'}, h('h3', {}, 'Upstream: reads from (refreshed before it)'),
              list(dependencies.upstream)),
          h('div', {id: 'downstream'}, h('h3', {}, 'Downstream: read by (refreshed after it)'),
              list(dependencies.downstream))));
  section.hidden = false;
}

// ---- cascade refresh ----

const CASCADES = [['upstream', 'Upstream'], ['downstream', 'Downstream'], ['both', 'Both']];

/** A direction and a button: refreshes the view with the views it reads or that read it, in order. */
function cascadeControl(ctx, registration, chosen, done) {
  const name = qualifiedName(registration);
  const direction = h('select', {id: 'cascade-direction', 'aria-describedby': 'cascade-hint'},
      CASCADES.map(([value, label]) => h('option', {value, selected: value === chosen.direction}, label)));
  direction.addEventListener('change', () => {
    chosen.direction = direction.value;
  });
  const button = h('button', {type: 'button', class: 'button', 'data-action': 'refresh-cascade'},
      'Refresh with cascade', srOnly(` ${name}`));
  button.addEventListener('click', () => refreshCascade(ctx, registration, direction.value, button, done));
  return h('div', {class: 'inline-field cascade-control'},
      h('label', {for: 'cascade-direction', title: 'Upstream: the views it reads; downstream: the views that read it'},
          'Cascade'), direction, button);
}

/** Every view's outcome is listed, whether the cascade succeeded or stopped at a failure. */
async function refreshCascade(ctx, registration, cascade, button, done) {
  const name = qualifiedName(registration);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  ctx.notify(`Refreshing ${name} with its ${cascade === 'both' ? 'upstream and downstream' : cascade} views…`,
      {progress: true});
  let result;
  try {
    result = await api(`matviews/${segment(registration.id)}/refresh`, {method: 'POST', query: {cascade}});
    const others = result.views.length - 1;
    const kind = cascade === 'both' ? 'related' : cascade;
    ctx.notify(others
      ? `Refreshed ${name} and ${others} ${kind} view${others === 1 ? '' : 's'} in ${formatDuration(result.durationMs)}.`
      : `Refreshed ${name} in ${formatDuration(result.durationMs)}; it has no ${kind} view.`);
  } catch (e) {
    if (e.status === 401) {
      return;
    }
    result = e.body && Array.isArray(e.body.views) ? e.body : null;
    ctx.alert(`The cascade refresh of ${name} failed (${e.status || 'network'}): ${e.message}`);
  }
  if (!ctx.alive()) {
    return;
  }
  await done();
  const section = document.getElementById('cascade-result');
  if (result && section && ctx.alive()) {
    clear(section).append(...cascadeOutcome(cascade, result.views));
    section.hidden = false;
  }
}

function cascadeOutcome(cascade, views) {
  return [h('h2', {id: 'cascade-title'}, `Last cascade refresh (${cascade})`),
    h('table', {class: 'data-table compact', id: 'cascade-table'},
        h('caption', {class: 'sr-only'}, 'Each view of the cascade, in the order refreshed'),
        h('thead', {}, h('tr', {}, ['View', 'Outcome', 'Duration', 'Error'].map(
            (title) => h('th', {scope: 'col'}, title)))),
        h('tbody', {}, views.map((view) => {
          const viewName = qualifiedName(view);
          return h('tr', {'data-view': viewName},
              h('th', {scope: 'row', 'data-label': 'View'}, h('a', {href: `#/views/${segment(viewName)}`}, viewName)),
              h('td', {'data-label': 'Outcome', 'data-field': 'status'}, outcomeBadge(view.status)),
              h('td', {'data-label': 'Duration'}, formatDuration(view.durationMs)),
              h('td', {'data-label': 'Error'}, errorText(view.error, 60)));
        })))];
}

/** A cascade's outcome of one view (refreshed, failed, or skipped after an earlier failure), coloured as a status. */
const OUTCOME_STYLES = {refreshed: 'success', failed: 'error', skipped: 'skipped'};

function outcomeBadge(outcome) {
  return h('span', {class: `badge badge-${OUTCOME_STYLES[outcome] || 'never'}`, 'data-outcome': outcome}, outcome);
}
