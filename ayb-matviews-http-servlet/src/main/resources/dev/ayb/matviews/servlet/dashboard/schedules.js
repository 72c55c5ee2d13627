// Schedules and jobs: the schedules table (enable, disable, run now, delete), the Create dialog with its
// cron preview, and the jobs list, polled while a job is queued or running, each job with its details.

import {api, segment} from './api.js';
import {errorText, exactTime, h, loading, relativeTime, srOnly, stateBadge, timeElement} from './dom.js';
import {errorState} from './views.js';
import {onEvents} from './events.js';
import {openJobDialog} from './jobs.js';

const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'canceled'];
const POLL_MS = 1500;
const REFRESH_JOB = 'materialized_view_refresh';

export function renderSchedules(main, ctx) {
  const createButton = h('button', {type: 'button', class: 'button primary', id: 'schedule-open'}, 'New schedule');
  const reloadButton = h('button', {type: 'button', class: 'button', id: 'schedules-reload'}, 'Reload');
  // Not live regions: a reload would read whole tables out; notices say what changed.
  const schedulesBody = h('div', {id: 'schedules-body'});
  const stateFilter = h('select', {id: 'jobs-state'},
      h('option', {value: ''}, 'Any state'),
      JOB_STATES.map((state) => h('option', {value: state}, state)));
  const jobsBody = h('div', {id: 'jobs-body'});
  main.replaceChildren(
      h('div', {class: 'page-header'},
          h('h1', {tabindex: '-1'}, 'Schedules and jobs'),
          h('div', {class: 'page-actions'}, reloadButton, createButton)),
      h('p', {class: 'lead'}, 'Cron schedules queue jobs; any instance with jobs enabled runs them, once each.'),
      h('section', {'aria-labelledby': 'schedules-title'},
          h('h2', {id: 'schedules-title'}, 'Schedules'),
          schedulesBody),
      h('section', {'aria-labelledby': 'jobs-title'},
          h('div', {class: 'section-header'},
              h('h2', {id: 'jobs-title'}, 'Jobs'),
              h('div', {class: 'inline-field'}, h('label', {for: 'jobs-state'}, 'State'), stateFilter)),
          jobsBody));

  let schedules = [];
  let pollTimer = null;
  ctx.onLeave(() => clearTimeout(pollTimer));
  // A job or a schedule changed on any instance: both lists follow.
  onEvents(ctx, ['job', 'schedule'], () => {
    loadSchedules();
    loadJobs();
  });

  async function loadSchedules() {
    schedulesBody.setAttribute('aria-busy', 'true');
    if (!schedulesBody.firstChild) {
      schedulesBody.replaceChildren(loading('Loading schedules…'));
    }
    try {
      const list = await api('schedules');
      if (!ctx.alive()) {
        return;
      }
      schedules = list.items;
      createButton.disabled = false;
      schedulesBody.replaceChildren(schedules.length ? schedulesTable(schedules) : h('div',
          {class: 'empty-state', id: 'schedules-empty'},
          h('p', {}, 'No schedule yet. Create one to refresh a view on a cron timetable.')));
    } catch (e) {
      if (!ctx.alive() || e.status === 401) {
        return;
      }
      if (e.status === 503) {
        createButton.disabled = true;
        schedulesBody.replaceChildren(jobsDisabled(e));
      } else {
        schedulesBody.replaceChildren(errorState('The schedules could not be loaded', e, loadSchedules));
      }
    } finally {
      schedulesBody.removeAttribute('aria-busy');
    }
  }

  async function loadJobs() {
    clearTimeout(pollTimer);
    pollTimer = null;
    jobsBody.setAttribute('aria-busy', 'true');
    if (!jobsBody.firstChild) {
      jobsBody.replaceChildren(loading('Loading jobs…'));
    }
    try {
      const list = await api('jobs', {query: {state: stateFilter.value, limit: 50}});
      if (!ctx.alive()) {
        return;
      }
      jobsBody.replaceChildren(list.items.length ? jobsTable(list.items, schedules, jobRowActions)
          : h('div', {class: 'empty-state', id: 'jobs-empty'}, h('p', {}, stateFilter.value
              ? `No ${stateFilter.value} job.` : 'No job yet. Run a schedule now to queue one.')));
      if (list.items.some((job) => job.state === 'queued' || job.state === 'running')) {
        pollTimer = setTimeout(poll, POLL_MS);
      }
    } catch (e) {
      if (!ctx.alive() || e.status === 401) {
        return;
      }
      jobsBody.replaceChildren(e.status === 503
          ? h('p', {class: 'callout callout-warning', id: 'jobs-unavailable'},
              `No jobs to show: the job queue is not enabled on this instance (${e.status} ${e.message}).`)
          : errorState('The jobs could not be loaded', e, loadJobs));
    } finally {
      jobsBody.removeAttribute('aria-busy');
    }
  }

  /** While a job runs: its state, and the schedules' last and next run times, which it changes. */
  async function poll() {
    await loadJobs();
    if (ctx.alive() && !pollTimer) {
      loadSchedules();
    }
  }

  function schedulesTable(items) {
    return h('table', {class: 'data-table', id: 'schedules-table'},
        h('caption', {class: 'sr-only'}, 'Schedules'),
        h('thead', {}, h('tr', {},
            ['Name', 'Job', 'Cron', 'Enabled', 'Next run', 'Last run'].map(
                (title) => h('th', {scope: 'col'}, title)),
            h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
        h('tbody', {}, items.map(scheduleRow)));
  }

  function scheduleRow(schedule) {
    const toggle = schedule.enabled
        ? button('disable', 'Disable', schedule.name, () => setEnabled(schedule, false))
        : button('enable', 'Enable', schedule.name, () => setEnabled(schedule, true));
    return h('tr', {'data-schedule': schedule.name, 'data-id': schedule.id},
        h('th', {scope: 'row', 'data-label': 'Name'}, schedule.name),
        h('td', {'data-label': 'Job'}, jobSummary(schedule.jobType, schedule.payload)),
        h('td', {'data-label': 'Cron'}, h('code', {}, schedule.cronExpr), ' ',
            h('span', {class: 'muted'}, schedule.timezone)),
        h('td', {'data-label': 'Enabled', 'data-field': 'enabled'}, schedule.enabled
            ? h('span', {class: 'badge badge-success', 'data-enabled': 'true'}, 'enabled')
            : h('span', {class: 'badge badge-never', 'data-enabled': 'false'}, 'disabled')),
        h('td', {'data-label': 'Next run'}, schedule.enabled ? timeElement(schedule.nextRunAt)
            : h('span', {class: 'muted'}, 'paused')),
        h('td', {'data-label': 'Last run'}, timeElement(schedule.lastRunAt, 'never')),
        h('td', {class: 'actions-cell'}, h('div', {class: 'row-actions'},
            toggle,
            button('edit', 'Edit', schedule.name, () => openScheduleDialog(ctx, loadSchedules, schedule)),
            button('run', 'Run now', schedule.name, () => runNow(schedule)),
            button('delete', 'Delete', schedule.name, () => remove(schedule), 'danger'))));
  }

  async function setEnabled(schedule, enabled) {
    try {
      await api(`schedules/${segment(schedule.id)}/${enabled ? 'enable' : 'disable'}`, {method: 'POST'});
      ctx.notify(`Schedule ${schedule.name} ${enabled ? 'enabled' : 'disabled'}.`);
    } catch (e) {
      report(e, `${enabled ? 'Enabling' : 'Disabling'} ${schedule.name} failed`);
    }
    loadSchedules();
  }

  async function runNow(schedule) {
    try {
      const job = await api(`schedules/${segment(schedule.id)}/run`, {method: 'POST'});
      ctx.notify(`Queued a run of ${schedule.name} (job ${job.id.slice(0, 8)}); it is listed under Jobs.`);
    } catch (e) {
      report(e, `Running ${schedule.name} failed`);
    }
    if (ctx.alive()) {
      stateFilter.value = '';
      loadJobs();
    }
  }

  async function remove(schedule) {
    const confirmed = await ctx.confirm({
      title: `Delete schedule ${schedule.name}?`,
      message: 'It queues no more jobs. Jobs it queued already stay in the jobs list, and no view is changed.',
      confirmLabel: 'Delete schedule',
    });
    if (!confirmed) {
      return;
    }
    try {
      await api(`schedules/${segment(schedule.id)}`, {method: 'DELETE'});
      ctx.notify(`Deleted schedule ${schedule.name}.`);
    } catch (e) {
      report(e, `Deleting ${schedule.name} failed`);
    }
    loadSchedules();
  }

  /** A row's Details, which opens the job's dialog, then its Retry or Cancel. */
  function jobRowActions(job) {
    const label = `job ${job.id.slice(0, 8)}`;
    const opener = () => jobsBody.querySelector(`tr[data-job="${CSS.escape(job.id)}"] button[data-action="details"]`);
    return [button('details', 'Details', label, () => openJobDialog(ctx, job.id,
        {scheduleName, actions: jobActions, opener})), jobActions(job)];
  }

  /** The name of the schedule with that id, as last listed; null once deleted. */
  function scheduleName(id) {
    const schedule = schedules.find((candidate) => candidate.id === id);
    return schedule ? schedule.name : null;
  }

  /**
   * Retry for a failed or canceled job, cancel (confirmed) for a queued one; the server decides (409 otherwise).
   * after(), if given, runs once the change is made (the details dialog shows the job again).
   */
  function jobActions(job, after = null) {
    const label = `job ${job.id.slice(0, 8)}`;
    if (job.state === 'failed' || job.state === 'canceled') {
      return button('retry', 'Retry', label, () => changeJob(job, 'retry', `Queued ${label} again.`, after));
    }
    if (job.state === 'queued') {
      return button('cancel', 'Cancel', label, async () => {
        const confirmed = await ctx.confirm({
          title: `Cancel ${label}?`,
          message: 'It will not run. A canceled job can be retried later from this list.',
          confirmLabel: 'Cancel job',
        });
        if (confirmed) {
          await changeJob(job, 'cancel', `Canceled ${label}.`, after);
        }
      }, 'danger');
    }
    return null;
  }

  async function changeJob(job, action, done, after) {
    try {
      await api(`jobs/${segment(job.id)}/${action}`, {method: 'POST'});
      ctx.notify(done);
    } catch (e) {
      report(e, `${action === 'retry' ? 'Retrying' : 'Canceling'} job ${job.id.slice(0, 8)} failed`);
    }
    if (ctx.alive()) {
      loadJobs();
      if (after) {
        after();
      }
    }
  }

  function report(e, what) {
    if (e.status !== 401) {
      ctx.alert(e.status === 503 ? `${what}: the job queue is not enabled on this instance (503).`
          : `${what} (${e.status || 'network'}): ${e.message}`);
    }
  }

  createButton.addEventListener('click', () => openScheduleDialog(ctx, () => {
    loadSchedules();
  }));
  reloadButton.addEventListener('click', () => {
    loadSchedules();
    loadJobs();
  });
  stateFilter.addEventListener('change', loadJobs);
  loadSchedules().then(() => loadJobs());
}

function jobsDisabled(error) {
  return h('div', {class: 'callout callout-warning', role: 'alert', id: 'jobs-disabled'},
      h('p', {}, h('strong', {}, 'The job queue is not enabled on this instance'), ` (${error.status} ${error.message}).`),
      h('p', {}, 'Schedules and jobs are kept and run by application instances started with jobs enabled. ',
          'Materialized views can still be registered and refreshed here.'));
}

function button(action, label, name, onClick, kind = '') {
  return h('button', {type: 'button', class: `button small ${kind}`.trim(), 'data-action': action,
    on: {click: onClick}}, label, srOnly(` ${name}`));
}

function jobSummary(type, payload) {
  if (type === REFRESH_JOB && payload && typeof payload.view_name === 'string') {
    const schema = typeof payload.schema === 'string' ? payload.schema : 'public';
    const extra = payload.cascade ? ` (cascade ${payload.cascade})` : '';
    return h('span', {}, 'refresh ', h('code', {}, `${schema}.${payload.view_name}`), extra);
  }
  return h('span', {}, h('code', {}, type), ' ', h('code', {class: 'muted'}, JSON.stringify(payload)));
}

function jobsTable(jobs, schedules, actions) {
  const names = new Map(schedules.map((schedule) => [schedule.id, schedule.name]));
  return h('table', {class: 'data-table', id: 'jobs-table'},
      h('caption', {class: 'sr-only'}, 'Jobs, newest first'),
      h('thead', {}, h('tr', {},
          ['Job', 'Schedule', 'State', 'Attempts', 'Run at', 'Finished', 'Result or last error'].map(
              (title) => h('th', {scope: 'col'}, title)),
          h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
      h('tbody', {}, jobs.map((job) => h('tr', {'data-job': job.id, 'data-state': job.state},
          h('td', {'data-label': 'Job'}, jobSummary(job.type, job.payload)),
          h('td', {'data-label': 'Schedule'}, job.scheduleId
              ? (names.get(job.scheduleId) || h('span', {class: 'muted'}, 'deleted'))
              : h('span', {class: 'muted'}, '—')),
          h('td', {'data-label': 'State', 'data-field': 'state'}, stateBadge(job.state)),
          h('td', {'data-label': 'Attempts'}, `${job.attempts} of ${job.maxAttempts}`),
          h('td', {'data-label': 'Run at'}, timeElement(job.runAt)),
          h('td', {'data-label': 'Finished'}, timeElement(job.completedAt || job.canceledAt)),
          h('td', {'data-label': 'Result or last error'}, jobOutcome(job)),
          h('td', {class: 'actions-cell'}, h('div', {class: 'row-actions'}, actions(job)))))));
}

/** A finished job's result; otherwise the last error, if an attempt failed. */
function jobOutcome(job) {
  if (job.state === 'completed' && job.result) {
    return h('span', {class: 'job-result'}, job.result);
  }
  return errorText(job.lastError);
}

// ---- the Create dialog ----

let zonesFilled = false;

function fillTimeZones() {
  if (zonesFilled) {
    return;
  }
  zonesFilled = true;
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  document.getElementById('timezones').replaceChildren(
      ...['UTC', ...zones.filter((zone) => zone !== 'UTC')].map((zone) => h('option', {value: zone})));
}

function validZone(zone) {
  try {
    new Intl.DateTimeFormat('en', {timeZone: zone});
    return true;
  } catch (e) {
    return false;
  }
}

/** Five or six fields, or a macro: anything else is refused here, without asking the server. */
function plausibleCron(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('@')) {
    return /^@[a-z]+$/i.test(trimmed);
  }
  const fields = trimmed.split(/\s+/).length;
  return trimmed.length > 0 && (fields === 5 || fields === 6);
}

/** Creates a schedule, or with one edits it: its cron, time zone, payload and attempts, with the same preview. */
function openScheduleDialog(ctx, done, editing = null) {
  const dialog = document.getElementById('schedule-dialog');
  const form = document.getElementById('schedule-form');
  const name = document.getElementById('schedule-name');
  const view = document.getElementById('schedule-view');
  const cron = document.getElementById('schedule-cron');
  const zone = document.getElementById('schedule-timezone');
  const attempts = document.getElementById('schedule-attempts');
  const enabled = document.getElementById('schedule-enabled');
  const jobType = document.getElementById('schedule-jobtype');
  const payload = document.getElementById('schedule-payload');
  const preview = document.getElementById('schedule-preview');
  const error = document.getElementById('schedule-error');
  const submit = document.getElementById('schedule-submit');
  const title = document.getElementById('schedule-title');
  let previewSeq = 0;
  let previewTimer = null;

  fillTimeZones();
  form.reset();
  error.textContent = '';
  submit.disabled = false;
  for (const field of [name, cron, zone, payload]) {
    field.removeAttribute('aria-invalid');
  }
  view.replaceChildren(h('option', {value: ''}, 'Loading materialized views…'));
  view.disabled = true;
  payload.value = '';
  title.textContent = editing ? `Edit schedule ${editing.name}` : 'Create a schedule';
  submit.textContent = editing ? 'Save schedule' : 'Create schedule';
  // A schedule is addressed by its name elsewhere (jobs, the CLI): it is not renamed here.
  name.readOnly = Boolean(editing);
  dialog.dataset.editing = editing ? editing.name : '';
  if (editing) {
    name.value = editing.name;
    cron.value = editing.cronExpr;
    zone.value = editing.timezone;
    attempts.value = String(editing.maxAttempts);
    enabled.checked = editing.enabled;
    jobType.value = editing.jobType;
    payload.value = JSON.stringify(editing.payload);
    payload.closest('details').open = true;
  }

  const setPayload = () => {
    const [schema, ...rest] = view.value.split('.');
    if (view.value) {
      payload.value = JSON.stringify({schema, view_name: rest.join('.')});
    }
  };
  view.onchange = setPayload;

  const showPreview = async () => {
    const seq = ++previewSeq;
    const expression = cron.value;
    const timezone = zone.value.trim() || 'UTC';
    const heading = document.getElementById('schedule-preview-title');
    heading.textContent = `Next runs (${timezone})`;
    if (!plausibleCron(expression)) {
      preview.replaceChildren(h('p', {class: 'form-error', id: 'cron-invalid'},
          'Enter five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro.'));
      return;
    }
    if (!validZone(timezone)) {
      preview.replaceChildren(h('p', {class: 'form-error'}, `Unknown time zone ${timezone}.`));
      return;
    }
    preview.replaceChildren(loading('Computing the next runs…'));
    try {
      const result = await api('schedules/preview', {query: {cronExpr: expression, timezone, count: 5}});
      if (seq !== previewSeq) {
        return;
      }
      preview.replaceChildren(h('ol', {class: 'preview-list', id: 'cron-preview-list'},
          result.nextRuns.map((iso) => h('li', {},
              h('time', {datetime: iso, title: iso}, exactTime(iso, result.timezone)),
              ' ', h('span', {class: 'muted'}, `(${relativeTime(iso)})`)))));
    } catch (e) {
      if (seq === previewSeq && e.status !== 401) {
        preview.replaceChildren(h('p', {class: 'form-error', id: 'cron-invalid'},
            `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`));
      }
    }
  };
  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(showPreview, 250);
  };
  cron.oninput = schedulePreview;
  zone.oninput = schedulePreview;
  dialog.addEventListener('close', () => clearTimeout(previewTimer), {once: true});

  form.onsubmit = async (event) => {
    event.preventDefault();
    error.textContent = '';
    const problems = [];
    if (!name.value.trim()) {
      problems.push([name, 'Enter a name.']);
    }
    if (!plausibleCron(cron.value)) {
      problems.push([cron, 'Enter a cron expression of five fields.']);
    }
    let body;
    try {
      body = JSON.parse(payload.value || '{}');
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new Error('not an object');
      }
    } catch (e) {
      problems.push([payload, 'The payload must be a JSON object.']);
    }
    for (const field of [name, cron, payload]) {
      field.removeAttribute('aria-invalid');
    }
    if (problems.length) {
      for (const [field] of problems) {
        field.setAttribute('aria-invalid', 'true');
      }
      error.textContent = problems.map(([, text]) => text).join(' ');
      if (problems[0][0] === payload) {
        payload.closest('details').open = true;
      }
      problems[0][0].focus();
      return;
    }
    submit.disabled = true;
    if (editing) {
      await save(body);
      return;
    }
    try {
      const created = await api('schedules', {method: 'POST',
        body: {name: name.value.trim(), ...scheduleFields(body)}});
      dialog.close('done');
      ctx.notify(`Created schedule ${created.name}.`
          + (created.nextRunAt ? ` Its next run is ${relativeTime(created.nextRunAt)}.` : ''));
      if (ctx.alive()) {
        done();
      }
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) {
        error.textContent = `Creating the schedule failed (${e.status || 'network'}): ${e.message}`;
      }
    }
  };

  // What creating and editing both send; a schedule's name is given once, at creation.
  function scheduleFields(payloadObject) {
    return {
      jobType: jobType.value.trim() || REFRESH_JOB,
      cronExpr: cron.value.trim(),
      timezone: zone.value.trim() || 'UTC',
      payload: payloadObject,
      enabled: enabled.checked,
      maxAttempts: attempts.value ? Number(attempts.value) : undefined,
    };
  }

  async function save(body) {
    try {
      const saved = await api(`schedules/${segment(editing.id)}`, {method: 'PATCH', body: scheduleFields(body)});
      dialog.close('done');
      ctx.notify(`Saved schedule ${saved.name}.`
          + (saved.enabled && saved.nextRunAt ? ` Its next run is ${relativeTime(saved.nextRunAt)}.` : ''));
      if (ctx.alive()) {
        done();
      }
    } catch (e) {
      submit.disabled = false;
      if (e.status !== 401) {
        error.textContent = `Saving the schedule failed (${e.status || 'network'}): ${e.message}`;
      }
    }
  }

  dialog.showModal();
  (editing ? cron : name).focus();
  showPreview();
  api('matviews/discovered').then((list) => {
    const options = list.items.map((item) => {
      const qualified = `${item.schemaName}.${item.viewName}`;
      return h('option', {value: qualified}, item.registered ? qualified : `${qualified} (not registered yet)`);
    });
    view.replaceChildren(...(options.length ? options
        : [h('option', {value: ''}, 'No materialized view in the database')]));
    view.disabled = !options.length;
    const current = editing && editing.payload && typeof editing.payload.view_name === 'string'
      ? `${editing.payload.schema || 'public'}.${editing.payload.view_name}` : null;
    if (current && options.some((option) => option.value === current)) {
      view.value = current;
    } else if (!editing) {
      setPayload();
    }
  }).catch((e) => {
    view.replaceChildren(h('option', {value: ''}, 'Unavailable'));
    if (e.status !== 401) {
      error.textContent = `The materialized views could not be listed: ${e.message}. Enter the payload by hand.`;
    }
  });
}
