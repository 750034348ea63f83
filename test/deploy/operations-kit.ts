import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// `yaml` comes with @fastify/swagger (a dependency of stockd); Prometheus files are YAML.
import { parse } from 'yaml';

/** The operations kit of deploy/: Prometheus alerting rules and the Grafana dashboard. */
export const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));
export const rulesFile = `${deployDir}prometheus/alerts.yml`;
export const dashboardFile = `${deployDir}grafana/dashboards/stockd.json`;

/** A PromQL expression of the kit, and where it is (for failure messages). */
export interface KitExpression {
  readonly where: string;
  readonly expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

export function ruleExpressions(): KitExpression[] {
  const file = parse(readFileSync(rulesFile, 'utf8')) as RuleFile;
  return file.groups.flatMap((group) =>
    group.rules.map((rule) => ({
      where: `alerts.yml ${rule.alert ?? rule.record}`,
      expr: rule.expr,
    })),
  );
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: {
    list: { name: string; type: string; query?: unknown; current?: { value: string } }[];
  };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
}

/** The PromQL of every panel's queries. */
export function dashboardExpressions(): KitExpression[] {
  return dashboard().panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `dashboard panel ${panel.id} "${panel.title}" ${target.refId}`,
      expr: target.expr,
    })),
  );
}

/** The series the dashboard's variables take their values from (`label_values(series, label)`). */
export function dashboardVariableSeries(): KitExpression[] {
  return dashboard().templating.list.flatMap((variable) => {
    const query = (variable.query as { query?: string } | undefined)?.query;
    const series = query === undefined ? undefined : /^label_values\((.+), *\w+\)$/.exec(query);
    return series === null || series === undefined
      ? []
      : [{ where: `dashboard variable ${variable.name}`, expr: series[1]! }];
  });
}

/**
 * promtool from Debian's `prometheus` package (PROMTOOL to use another), or undefined when it is
 * not installed. CI installs it (.ci/run) and must not skip: with CI=true a missing promtool is
 * a failure of the tests that need it.
 */
export function locatePromtool(): { path: string | undefined; required: boolean } {
  const path = process.env.PROMTOOL ?? 'promtool';
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return { path: probe.status === 0 ? path : undefined, required: process.env.CI === 'true' };
}

/** Runs promtool; the status and everything it printed (its reasons on failure). */
export function promtool(
  path: string | undefined,
  args: readonly string[],
  cwd = deployDir,
): { status: number | null; output: string } {
  if (path === undefined) {
    throw new Error(
      'promtool is not installed, and CI=true requires it: apt-get install prometheus (Debian)',
    );
  }
  const run = spawnSync(path, args, { cwd, encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
