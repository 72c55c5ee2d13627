// The refresh history as a small inline SVG chart: duration (y) over start time (x), successful runs as
// dots joined by a line, failed runs as red crosses. Built with DOM calls (no library, nothing inline that
// the Content-Security-Policy would refuse); its <title> and <desc> say in words what it shows.

import {formatDuration, s} from './dom.js';

const WIDTH = 640;
const HEIGHT = 240;
const PAD = {left: 84, right: 20, top: 16, bottom: 40};
let chartCount = 0;

/**
 * @param runs refresh runs, in any order; those without a start time are left out, and so are skipped runs
 *             (a refresh "only if changed" that found nothing to do ran no REFRESH to chart)
 * @param targetLagMs the view's target lag, or null: marked as a dashed line, since a refresh that takes as long
 *             as the target cannot keep the view within it. A target far above every run (more than ten times
 *             the longest) would flatten the runs against the axis: it is then named at the top instead
 */
export function historyChart(runs, targetLagMs = null) {
  const points = runs
      .filter((run) => run.startedAt && run.status !== 'skipped')
      .map((run) => ({run, time: Date.parse(run.startedAt), duration: run.durationMs}))
      .sort((a, b) => a.time - b.time);
  const id = `history-chart-${++chartCount}`;
  const failures = points.filter((p) => p.run.status !== 'success');
  const successes = points.filter((p) => p.run.status === 'success');

  const durations = points.map((p) => p.duration).filter((d) => typeof d === 'number');
  const longest = Math.max(1, ...durations);
  const targetOnScale = Boolean(targetLagMs) && targetLagMs <= 10 * longest;
  const yMax = niceCeiling(targetOnScale ? Math.max(longest, targetLagMs) : longest);
  const tMin = points.length ? points[0].time : 0;
  const tMax = points.length ? points[points.length - 1].time : 0;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (time) => PAD.left + (tMax === tMin ? plotW / 2 : ((time - tMin) / (tMax - tMin)) * plotW);
  const y = (duration) => PAD.top + plotH - (Math.max(0, duration || 0) / yMax) * plotH;

  const svg = s('svg', {
    class: 'history-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`, 'data-points': points.length,
    'data-failures': failures.length, preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(s('title', {id: `${id}-title`}, 'Refresh duration over time'));
  svg.append(s('desc', {id: `${id}-desc`}, summary(points, successes, failures)));

  // Grid and y-axis labels: 0, half and the top of the scale.
  const grid = s('g', {class: 'chart-grid', 'aria-hidden': 'true'});
  for (const fraction of [0, 0.5, 1]) {
    const value = yMax * fraction;
    const yy = y(value);
    grid.append(s('line', {x1: PAD.left, x2: WIDTH - PAD.right, y1: yy, y2: yy}));
    grid.append(s('text', {x: PAD.left - 8, y: yy + 4, 'text-anchor': 'end', class: 'chart-label'},
        formatDuration(Math.round(value))));
  }
  // X axis: the first and the last start time.
  grid.append(s('line', {class: 'chart-axis', x1: PAD.left, x2: WIDTH - PAD.right,
    y1: PAD.top + plotH, y2: PAD.top + plotH}));
  if (points.length) {
    const span = tMax - tMin;
    grid.append(s('text', {x: PAD.left, y: HEIGHT - 12, 'text-anchor': 'start', class: 'chart-label'},
        axisTime(tMin, span)));
    if (span > 0) {
      grid.append(s('text', {x: WIDTH - PAD.right, y: HEIGHT - 12, 'text-anchor': 'end', class: 'chart-label'},
          axisTime(tMax, span)));
    }
  }
  svg.append(grid);

  if (targetLagMs) {
    const target = s('g', {class: 'chart-target', 'data-target-lag': targetLagMs},
        s('title', {}, `target lag ${formatDuration(targetLagMs)}`));
    if (targetOnScale) {
      const yy = y(targetLagMs);
      target.append(s('line', {x1: PAD.left, x2: WIDTH - PAD.right, y1: yy, y2: yy}));
      target.append(s('text', {x: WIDTH - PAD.right, y: yy - 4, 'text-anchor': 'end', class: 'chart-label'},
          `target lag ${formatDuration(targetLagMs)}`));
    } else {
      target.append(s('text', {x: WIDTH - PAD.right, y: PAD.top + 4, 'text-anchor': 'end', class: 'chart-label'},
          `target lag ${formatDuration(targetLagMs)} (far above every run)`));
    }
    svg.append(target);
  }

  if (successes.length > 1) {
    svg.append(s('polyline', {
      class: 'chart-line', 'aria-hidden': 'true',
      points: successes.map((p) => `${x(p.time).toFixed(1)},${y(p.duration).toFixed(1)}`).join(' '),
    }));
  }
  for (const p of successes) {
    svg.append(s('g', {class: 'chart-point chart-success', 'data-status': 'success'},
        s('title', {}, pointLabel(p)),
        s('circle', {cx: x(p.time).toFixed(1), cy: y(p.duration).toFixed(1), r: 4.5})));
  }
  for (const p of failures) {
    const cx = x(p.time);
    const cy = y(p.duration);
    const r = 5.5;
    svg.append(s('g', {class: 'chart-point chart-failure', 'data-status': 'error'},
        s('title', {}, pointLabel(p)),
        s('line', {class: 'chart-failure-tick', x1: cx, x2: cx, y1: PAD.top + plotH, y2: cy}),
        s('path', {d: `M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx - r},${cy + r}L${cx + r},${cy - r}`})));
  }
  return svg;
}

function summary(points, successes, failures) {
  if (!points.length) {
    return 'No refresh has run yet.';
  }
  const first = new Date(points[0].time).toISOString();
  const last = new Date(points[points.length - 1].time).toISOString();
  let text = `${points.length} run${points.length === 1 ? '' : 's'} from ${first} to ${last}. `;
  if (successes.length) {
    const durations = successes.map((p) => p.duration || 0);
    text += `${successes.length} succeeded, taking ${formatDuration(Math.min(...durations))}`
        + ` to ${formatDuration(Math.max(...durations))}. `;
  }
  text += failures.length ? `${failures.length} failed.` : 'None failed.';
  return text;
}

function pointLabel(p) {
  const when = new Date(p.time).toISOString();
  const status = p.run.status === 'success' ? 'success' : 'failed';
  return `${when}: ${status}, ${formatDuration(p.duration)} (${p.run.trigger}, ${p.run.refreshMode})`;
}

function axisTime(time, span) {
  const options = span > 24 * 3600 * 1000
      ? {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'}
      : {hour: '2-digit', minute: '2-digit', second: '2-digit'};
  return new Intl.DateTimeFormat(undefined, options).format(new Date(time));
}

/** 1, 2, 5 × 10^n at or above the value, so the axis labels are round numbers. */
function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) {
      return step * magnitude;
    }
  }
  return 10 * magnitude;
}
