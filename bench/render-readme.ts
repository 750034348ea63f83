/**
 * Writes bench/http's last results (bench/results/http.json) into README.md, between the
 * markers below, as a table with a link to the chart bench/http drew (bench/results/http.svg).
 *
 *   npm run bench:readme
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { httpMarkdown } from './support/http-markdown.ts';
import type { HttpResults } from './support/http-results.ts';

const start =
  '<!-- bench:http:start (written by npm run bench:readme from bench/results/http.json) -->';
const end = '<!-- bench:http:end -->';

const readmeUrl = new URL('../README.md', import.meta.url);
const results = JSON.parse(
  readFileSync(new URL('./results/http.json', import.meta.url), 'utf8'),
) as HttpResults;
const readme = readFileSync(readmeUrl, 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);

const section = [
  start,
  httpMarkdown(results),
  '',
  '![reserves/s per server and workload](bench/results/http.svg)',
  '',
  'Chart: [bench/results/http.svg](bench/results/http.svg); figures: [bench/results/http.json](bench/results/http.json).',
  end,
].join('\n');
writeFileSync(readmeUrl, readme.slice(0, from) + section + readme.slice(to + end.length));
console.log('README.md: benchmark table rewritten from bench/results/http.json');
