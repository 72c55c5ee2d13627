// The parts of a long, server-paged list: a filter box, column headers that sort (with aria-sort), and a
// pager. The server filters, sorts and pages (GET /api/admin/matviews?page&perPage&filter&sort), so the page
// draws one page of rows however many there are.

import {h} from './dom.js';

/** A search box that calls onChange(text) once typing pauses. */
export function filterBox({id, label, hint, onChange, delayMs = 250}) {
  let timer = null;
  const input = h('input', {id, type: 'search', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': `${id}-hint`});
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(input.value.trim()), delayMs);
  });
  const field = h('div', {class: 'field filter-field'},
      h('label', {for: id}, label),
      input,
      h('p', {class: 'hint', id: `${id}-hint`}, hint));
  return {field, input};
}

/**
 * A column header: a button that sorts by key (ascending first, then descending) when sortable, plain text
 * otherwise. aria-sort tells a screen reader which column orders the rows and which way.
 */
export function sortableHeader(title, key, order, onSort) {
  if (!key) {
    return h('th', {scope: 'col'}, title);
  }
  const active = order.key === key;
  const direction = active ? (order.descending ? 'descending' : 'ascending') : 'none';
  return h('th', {scope: 'col', 'aria-sort': direction},
      h('button', {type: 'button', class: 'sort-button', 'data-sort': key,
        on: {click: () => onSort({key, descending: active ? !order.descending : false})}},
      title, h('span', {class: 'sort-arrow', 'aria-hidden': 'true'},
          active ? (order.descending ? ' ▼' : ' ▲') : '')));
}

/** "Page 2 of 40 · 1,990 views" and Previous / Next; nothing when everything fits on one page. */
export function pager({id, page, totalPages, totalItems, noun, locale, onPage}) {
  const count = `${new Intl.NumberFormat(locale).format(totalItems)} ${noun}`;
  if (totalPages <= 1) {
    return h('p', {class: 'pager muted', id}, count);
  }
  const go = (target) => h('button', {type: 'button', class: 'button small', 'data-page': target > page ? 'next'
      : 'previous', disabled: target < 1 || target > totalPages, on: {click: () => onPage(target)}},
  target > page ? 'Next page' : 'Previous page');
  return h('nav', {class: 'pager', id, 'aria-label': 'Pages'},
      go(page - 1),
      h('span', {'data-field': 'page'}, `Page ${page} of ${totalPages} · ${count}`),
      go(page + 1));
}
