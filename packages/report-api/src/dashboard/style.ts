import { createHash } from 'node:crypto';
import { BASE } from './urls.js';

/**
 * The dashboard's only stylesheet, served from our own origin under a content-hashed name
 * (so it can be cached forever and the CSP stays `style-src 'self'`).
 *
 * @example
 * c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
 */
export const STYLESHEET =
  `
:root { --fg:#1b1f24; --muted:#57606a; --bg:#fff; --panel:#f6f8fa; --line:#d0d7de; --accent:#0b5cad;
  --req:#0b5cad; --blocked:#b35900; --e4:#7a4fc2; --e5:#c4262e; --ok:#1a7f37; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: ` +
  `var(--bg); }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid #f0b400; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--fg); color: #fff; padding: .5rem 1rem; ` +
  `z-index: 10; }
.skip:focus { left: .5rem; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.top form { margin: 0; margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.datenav { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: 1rem; }
.datenav form { display: flex; gap: .5rem; align-items: center; margin: 0; }
input, button { font: inherit; }
input[type=text], input[type=password], input[type=date] { padding: .35rem .5rem; border: 1px solid ` +
  `var(--muted); border-radius: 4px; }
button { padding: .35rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; ` +
  `border-radius: 4px; cursor: pointer; }
button.secondary { background: var(--bg); color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; margin: 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: var(--panel); margin: 0; }
.card dt { color: var(--muted); font-size: .85rem; }
.card dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
.card .delta { font-size: .85rem; font-weight: 400; color: var(--muted); display: block; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem 2rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th[scope=col] { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { overflow-wrap: anywhere; max-width: 32rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; overflow-wrap: anywhere; }
figure { margin: .5rem 0 1rem; }
figcaption { color: var(--muted); font-size: .9rem; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--fg); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: .25rem 0; ` +
  `font-size: .9rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; ` +
  `border-radius: 2px; }
.s-req { background: #9ec5ee; } .s-blocked { background: var(--blocked); } .s-e4 { background: var(--e4); } ` +
  `.s-e5 { background: var(--e5); }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .f-req { fill: #9ec5ee; } svg.chart .f-blocked { fill: var(--blocked); }
svg.chart .f-e4 { fill: var(--e4); } svg.chart .f-e5 { fill: var(--e5); } svg.chart .f-ok { fill: var(--ok); }
svg.chart .f-bar { fill: var(--req); }
svg.chart .l-e4 { stroke: var(--e4); stroke-width: 2; fill: none; } svg.chart .l-e5 { stroke: var(--e5); ` +
  `stroke-width: 2; fill: none; }
svg.chart .l-blocked { stroke: var(--blocked); stroke-width: 2; fill: none; }
.notice { border: 1px solid var(--ok); background: #e8f5ec; padding: .5rem .75rem; border-radius: 6px; }
.error { border: 1px solid var(--e5); background: #fbeaea; padding: .5rem .75rem; border-radius: 6px; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; background: ` +
  `var(--panel); border: 1px solid var(--line); }
.badge.denied { border-color: var(--e5); color: var(--e5); }
.muted { color: var(--muted); }
ul.reasons { margin: 0; padding-left: 1.1rem; }
form.inline { display: inline; margin: 0; }
form.filters, form fieldset { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
form.filters { margin: 0 0 1rem; }
td.actions { min-width: 7rem; }
td.actions button { display: block; width: 100%; margin: 0 0 .25rem; }
th[scope=row] code { white-space: nowrap; }
.signin { max-width: 24rem; margin: 3rem auto; }
.signin label { display: block; margin: .5rem 0 .25rem; }
.signin input { width: 100%; }
.signin button { margin-top: .75rem; }
@media (max-width: 40rem) {
  html { font-size: 15px; }
  main { padding: .75rem; }
  th, td { padding: .25rem .35rem; }
  .card dd { font-size: 1.15rem; }
  /* The hourly chart keeps readable labels on a phone: it scrolls sideways inside its figure. */
  figure.wide { overflow-x: auto; }
  figure.wide svg.chart { min-width: 36rem; }
}
`;

/**
 * First 16 hex digits of the stylesheet's SHA-256: part of its URL, changes when the CSS does.
 *
 * @example
 * `/dashboard/assets/style.${STYLESHEET_HASH}.css`;
 */
export const STYLESHEET_HASH = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 16);

/**
 * The URL path of the stylesheet, under the dashboard's mount point.
 *
 * @example
 * stylesheetPath(); // '/dashboard/assets/style.3f2a9c0d1e4b5a67.css'
 */
export function stylesheetPath(): string {
  return `${BASE}/assets/style.${STYLESHEET_HASH}.css`;
}
