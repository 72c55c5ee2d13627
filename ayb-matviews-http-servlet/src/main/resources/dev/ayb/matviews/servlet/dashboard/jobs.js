// One job's details, opened from the jobs list: everything GET /api/admin/jobs/{id} answers, in a dialog, with
// the list's own Retry or Cancel when the job's state allows one.

import {api, segment} from './api.js';
import {errorText, exactTime, h, loading, stateBadge, timeElement} from './dom.js';

/**
 * Opens the dialog for the job with that id. scheduleName(id) names the schedule that queued it (null when
 * deleted); actions(job, after) answers the list's Retry or Cancel button for it, or null, and calls after()
 * once that change is made, so the dialog shows the job as it is then; opener() finds the control to give the
 * focus back to on closing.
 */
export function openJobDialog(ctx, id, {scheduleName, actions, opener}) {
  const dialog = document.getElementById('job-dialog');
  const title = document.getElementById('job-title');
  const body = document.getElementById('job-body');
  const buttons = document.getElementById('job-actions');
  let asked = 0;

  async function load() {
    const mine = ++asked;
    body.setAttribute('aria-busy', 'true');
    try {
      const job = await api(`jobs/${segment(id)}`);
      if (!ctx.alive() || mine !== asked || !dialog.open) {
        return;
      }
      title.textContent = `Job ${job.id.slice(0, 8)}`;
      body.replaceChildren(details(job, scheduleName));
      buttons.replaceChildren(...[actions(job, load)].filter(Boolean));
      // A Retry or Cancel just used is drawn again (or gone): the focus must not fall out of the dialog.
      if (!dialog.contains(document.activeElement)) {
        document.getElementById('job-close').focus();
      }
    } catch (e) {
      if (ctx.alive() && mine === asked && e.status !== 401) {
        buttons.replaceChildren();
        body.replaceChildren(h('p', {class: 'form-error', id: 'job-error'}, e.status === 404
            ? 'This job does not exist (any more).'
            : `The job could not be loaded (${e.status || 'network'}): ${e.message}`));
      }
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  title.textContent = `Job ${id.slice(0, 8)}`;
  body.replaceChildren(loading('Loading the job…'));
  buttons.replaceChildren();
  // The list may have been drawn again while the dialog was open (polling, live events): the button that
  // opened it is then a new one, which the browser's own focus return would miss.
  dialog.addEventListener('close', () => {
    const target = ctx.alive() && opener();
    if (target) {
      target.focus();
    }
  }, {once: true});
  dialog.showModal();
  load();
}

function details(job, scheduleName) {
  const row = (term, field, ...value) => [h('dt', {}, term), h('dd', {'data-field': field}, ...value)];
  const when = (iso, empty) => (iso
    ? [timeElement(iso), h('span', {class: 'muted exact'}, ` (${exactTime(iso)})`)]
    : h('span', {class: 'muted'}, empty));
  // A failed job never got a finish time: "not yet" only while it may still run.
  const pending = job.state === 'queued' || job.state === 'running' ? 'not yet' : '—';
  const schedule = job.scheduleId ? scheduleName(job.scheduleId) : null;
  return h('dl', {class: 'summary', id: 'job-summary'},
      row('Id', 'id', h('code', {}, job.id)),
      row('Type', 'type', h('code', {}, job.type)),
      row('State', 'state', stateBadge(job.state)),
      row('Attempts', 'attempts', `${job.attempts} of ${job.maxAttempts}`),
      row('Run at', 'run-at', when(job.runAt, '—')),
      row('Started', 'started', when(job.lastRunAt, pending)),
      job.canceledAt ? row('Canceled', 'finished', when(job.canceledAt))
        : row('Finished', 'finished', when(job.completedAt, pending)),
      row('Schedule', 'schedule', !job.scheduleId ? h('span', {class: 'muted'}, 'none (queued directly)')
        : schedule || h('span', {class: 'muted'}, `deleted (${job.scheduleId})`)),
      job.result ? row('Result', 'result', h('span', {class: 'job-result'}, job.result)) : null,
      row('Last error', 'last-error', errorText(job.lastError, 200)),
      row('Payload', 'payload', h('pre', {class: 'payload'}, JSON.stringify(job.payload, null, 2))));
}
