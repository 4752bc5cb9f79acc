// Ratios, target checks and markdown tables for the rows the mode runners return.

import { workloadOf } from './workload.mjs';

/** A mode's heading, with a line naming its workload when it has one (not cold, size). */
export function modeHeading(mode) {
  const workload = workloadOf(mode);
  const line = workload ? `\nWorkload: ${workload.summary}; ${workload.spansPerTrace} spans per trace.\n` : '';
  return `## ${mode}\n${line}`;
}

/** Add `vsOtel` and `vsAgentsCore` (row median / that library's median; null if it is missing). */
export function addRatios(rows) {
  const medianOf = (name) => rows.find((r) => r.library === name)?.median;
  const otel = medianOf('otel');
  const agents = medianOf('agents-core');
  for (const row of rows) {
    row.vsOtel = otel ? row.median / otel : null;
    row.vsAgentsCore = agents ? row.median / agents : null;
  }
}

/**
 * A target is `{text, maxRatio}` (edgetrace median / OTel median) or `{text, max}` (absolute, in the
 * mode's unit). Returns it with `status` PASS, FAIL or n/a and the measured `value`.
 */
export function checkTarget(target, rows) {
  const row = rows.find((r) => r.library === 'edgetrace');
  const value = target.maxRatio === undefined ? row?.median : row?.vsOtel;
  if (value == null) return { ...target, status: 'n/a', value: null };
  const limit = target.maxRatio ?? target.max;
  return { ...target, status: value <= limit ? 'PASS' : 'FAIL', value };
}

function fmt(x) {
  if (typeof x !== 'number') return String(x);
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

function fmtRatio(x) {
  return x == null ? '–' : `${x.toFixed(2)}×`;
}

/** The markdown table for one mode, its notes, and the target line. */
export function formatMode(unit, rows, target) {
  const extraCols = Object.keys(rows[0]?.extra ?? {});
  const showRange = rows.some((r) => r.samples.length > 1);
  const header = [
    'library',
    `median ${unit}`,
    ...(showRange ? ['min–max'] : []),
    ...extraCols,
    'vs OTel',
    'vs agents-core',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const r of rows) {
    const cells = [
      r.library,
      fmt(r.median),
      ...(showRange ? [`${fmt(r.min)}–${fmt(r.max)}`] : []),
      ...extraCols.map((c) => fmt(r.extra[c])),
      fmtRatio(r.vsOtel),
      fmtRatio(r.vsAgentsCore),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const r of rows) if (r.note) lines.push(`- ${r.library}: ${r.note}`);
  if (target) {
    const got = target.value == null ? '' : ` (${target.maxRatio ? fmtRatio(target.value) : `${fmt(target.value)} ${unit}`})`;
    lines.push(`Target ${target.text}: **${target.status}**${got}`);
  }
  return lines.join('\n');
}
