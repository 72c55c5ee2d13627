// DOM building and formatting. Every piece of text from the server goes through textContent or an
// attribute, never parsed as HTML, so no value can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        element.addEventListener(event, handler);
      }
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h('td', {class: 'x', 'data-label': 'View'}, 'text', otherNode) */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A text that only screen readers read, e.g. the view a "Refresh" button is for. */
export function srOnly(text) {
  return h('span', {class: 'sr-only'}, text);
}

export function spinner() {
  return h('span', {class: 'spinner', 'aria-hidden': 'true'});
}

export function loading(text) {
  return h('p', {class: 'loading', role: 'status'}, spinner(), ' ', text);
}

// ---- time and duration ----

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
/**
 * The page's language is the one locale of every date, relative time and number: the text around them is in
 * that language, so a browser set to another would mix two languages in one sentence.
 */
export const LOCALE = document.documentElement.lang || 'en';
const RELATIVE = new Intl.RelativeTimeFormat(LOCALE, {numeric: 'auto', style: 'short'});
const EXACT = new Intl.DateTimeFormat(LOCALE, {dateStyle: 'medium', timeStyle: 'medium'});

/** "3 min. ago", "in 2 hr.", "now" */
export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 5) {
    return 'just now';
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return RELATIVE.format(Math.trunc(seconds / size), unit);
    }
  }
  return iso;
}

export function exactTime(iso, timeZone) {
  if (!timeZone) {
    return EXACT.format(new Date(iso));
  }
  return new Intl.DateTimeFormat(LOCALE, {dateStyle: 'medium', timeStyle: 'long', timeZone})
      .format(new Date(iso));
}

/** A <time> showing the relative time, with the exact ISO time in datetime and title; kept fresh by tick(). */
export function timeElement(iso, empty = '—') {
  if (!iso) {
    return h('span', {class: 'muted'}, empty);
  }
  return h('time', {datetime: iso, title: `${exactTime(iso)} (${iso})`, 'data-relative': true},
      relativeTime(iso));
}

/** Relative times age: rewrite them all (called every 30 s). */
export function refreshRelativeTimes(root = document) {
  for (const element of root.querySelectorAll('time[data-relative]')) {
    element.textContent = relativeTime(element.getAttribute('datetime'));
  }
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

// ---- badges and error text ----

const STATUS_LABELS = {success: 'success', error: 'error', never: 'never', refreshing: 'refreshing',
  skipped: 'skipped'};

/** success / error / never (no refresh yet) / refreshing / skipped (a history row: "only if changed", nothing was) */
export function statusBadge(status) {
  const key = status || 'never';
  return h('span', {class: `badge badge-${key}`, 'data-status': key},
      key === 'refreshing' ? spinner() : null, STATUS_LABELS[key] || key);
}

/**
 * Whether a view's data is behind its sources: "current", "behind since <relative time>" (the first change it
 * has not seen), "behind" for a reason, or "unknown" when untracked. The reason, or the exact time, is the title.
 */
export function freshnessBadge(freshness) {
  const state = (freshness && freshness.state) || 'unknown';
  const since = state === 'behind' && freshness.behindSince;
  const title = freshness && freshness.reason
      ? freshness.reason
      : (since ? `behind since ${exactTime(since)} (${since})` : null);
  // One child: the badge is a flex box, which would lay separate text nodes out as separate items.
  return h('span', {class: `badge badge-freshness-${state}`, 'data-freshness': state, title},
      since ? h('span', {}, `${state} since `, h('time', {datetime: since, 'data-relative': true}, relativeTime(since)))
        : state);
}

export function stateBadge(state) {
  return h('span', {class: `badge badge-job-${state}`, 'data-state': state},
      state === 'running' ? spinner() : null, state);
}

/** The first line, shortened; the whole text on demand in a <details>. */
export function errorText(text, limit = 80) {
  if (!text) {
    return h('span', {class: 'muted'}, '—');
  }
  const firstLine = text.split('\n')[0];
  const preview = firstLine.length > limit ? `${firstLine.slice(0, limit - 1)}…` : firstLine;
  if (preview === text) {
    return h('span', {class: 'error-text'}, text);
  }
  return h('details', {class: 'error-text'},
      h('summary', {}, preview, srOnly(' (show the full text)')),
      h('pre', {}, text));
}

export function qualifiedName(item) {
  return `${item.schemaName}.${item.viewName}`;
}
