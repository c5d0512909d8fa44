/**
 * The course site's index pages: one row per notebook with what it teaches, its prerequisites and
 * a time estimate (from `metadata.course`; a notebook without it is listed with a visible note
 * saying which field is missing), and links to its teacher page, student handout, PDF and
 * student notebook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CourseInfo } from './notebook';
import { esc } from './page';
import { ROOT } from './project';

const CSS = path.join(ROOT, 'scripts', 'page', 'course.css');

/** One notebook of the index. */
export interface SiteEntry {
  stem: string;
  title: string;
  info: Partial<CourseInfo>;
  /** What is missing or malformed in `metadata.course` (shown on the page). */
  infoProblems: string[];
  /** A summary taken from the notebook's own text, shown (marked as such) when `metadata.course.summary` is missing. */
  fallbackSummary?: string;
  /** Links, relative to the index page; absent ones are not shown. */
  links: Array<{ href: string; label: string; primary?: boolean }>;
}

/** A standalone page with the course stylesheet. */
export function standalonePage(title: string, body: string, bodyClass = ''): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style type="text/css">
${fs.readFileSync(CSS, 'utf8')}
</style></head>
<body class="bp-page ${bodyClass}">
<main class="bp-main">
${body}
</main>
</body></html>
`;
}

function minutesText(m: number): string {
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/**
 * The index page.
 * @param options the page's title and intro, its notebooks (in course order), and links to other indexes
 */
export function indexPage(options: {
  title: string;
  intro: string;
  entries: SiteEntry[];
  /** Which link of each entry the title and the prerequisites point to. */
  primaryLabel: string;
  otherLinks?: Array<{ href: string; label: string }>;
}): string {
  const byStem = new Map(options.entries.map((e) => [e.stem, e]));
  const primary = (e: SiteEntry): string | undefined => e.links.find((l) => l.label === options.primaryLabel)?.href;
  const rows = options.entries.map((e) => {
    const href = primary(e);
    const title = href ? `<a href="${esc(href)}">${esc(e.title)}</a>` : esc(e.title);
    const absent = e.infoProblems.includes('metadata.course is missing');
    const missing = (field: string): string => (absent ? '—' : `<span class="bp-missing">— (no valid metadata.course.${field})</span>`);
    const summary = e.info.summary
      ? `<span class="bp-summary-text">${esc(e.info.summary)}</span>`
      : e.fallbackSummary
        ? `<span class="bp-summary-text">${esc(e.fallbackSummary)}</span> <span class="bp-missing">(${absent
          ? 'taken from the notebook\'s introduction: it has no metadata.course yet, so no prerequisites or time estimate either'
          : 'taken from the notebook\'s introduction: metadata.course.summary is missing'})</span>`
        : missing('summary');
    const prereq = e.info.prerequisites === undefined
      ? missing('prerequisites')
      : e.info.prerequisites.length === 0
        ? 'none'
        : e.info.prerequisites.map((p) => {
          const target = byStem.get(p);
          const h = target ? primary(target) : undefined;
          return target && h ? `<a href="${esc(h)}">${esc(target.title)}</a>` : `${esc(p)} <span class="bp-missing">(not in this course)</span>`;
        }).join(', ');
    const minutes = e.info.minutes !== undefined ? minutesText(e.info.minutes) : missing('minutes');
    const notes = absent
      ? (e.fallbackSummary ? [] : ['metadata.course is missing: no summary, prerequisites or time estimate yet'])
      : e.infoProblems;
    const noteHtml = notes.length ? `<br><span class="bp-missing">${esc(notes.join('; '))}</span>` : '';
    const links = e.links.map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join(' ');
    return `<tr data-stem="${esc(e.stem)}"><td><strong>${title}</strong><br>${summary}${noteHtml}</td>` +
      `<td>${prereq}</td><td>${minutes}</td><td class="bp-links">${links}</td></tr>`;
  }).join('\n');
  const known = options.entries.filter((e) => e.info.minutes !== undefined);
  const total = known.reduce((s, e) => s + (e.info.minutes ?? 0), 0);
  const unknown = options.entries.length - known.length;
  const totalText = known.length === 0
    ? `${options.entries.length} notebooks (no time estimates yet).`
    : `${options.entries.length} notebooks, about ${minutesText(total)} in all` + (unknown ? ` (${unknown} without a time estimate)` : '') + '.';
  const other = (options.otherLinks ?? []).map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join(' · ');
  const body = `<h1>${esc(options.title)}</h1>
<p>${options.intro}</p>
<p>${esc(totalText)}${other ? ` ${other}` : ''}</p>
<table><thead><tr><th>Notebook and what it teaches</th><th>Prerequisites</th><th>Time</th><th>Files</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return standalonePage(options.title, body, 'bp-index');
}
