// The Grafana side of the operations kit: the dashboard is well formed, queries the provisioned
// Prometheus with valid PromQL, and docker-compose.yml mounts everything where the provisioning
// files say it is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  dashboard,
  dashboardExpressions,
  dashboardVariableSeries,
  deployDir,
  locatePromtool,
  promtool,
} from './operations-kit.ts';
import { selectorsOf } from './promql-selectors.ts';

const yamlOf = (path: string) => parse(readFileSync(path, 'utf8'));
const compose = yamlOf(new URL('../../docker-compose.yml', import.meta.url).pathname) as {
  services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
};
const board = dashboard();
const panels = board.panels.filter((panel) => panel.type !== 'row');

describe('the Grafana dashboard', () => {
  it('has unique panel ids and panels that fit the 24-column grid without overlapping', () => {
    const ids = board.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const { id, gridPos } of board.panels) {
      expect(gridPos.x + gridPos.w, `panel ${id}`).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(taken.has(`${x},${y}`), `panel ${id} overlaps at ${x},${y}`).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
    }
  });

  it('queries Prometheus through its data source variable in every panel', () => {
    expect(panels.length).toBeGreaterThan(20);
    for (const panel of panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr.trim(), panel.title).not.toBe('');
        expect(selectorsOf(target.expr).length, target.expr).toBeGreaterThan(0);
      }
    }
  });

  it('takes its instances from a series of stockd', () => {
    expect(dashboardVariableSeries()).toEqual([
      { where: 'dashboard variable instance', expr: 'stockd_items' },
    ]);
  });

  it('defaults to the data source that Grafana is provisioned with', () => {
    const provisioned = yamlOf(`${deployDir}grafana/provisioning/datasources/prometheus.yml`) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const [datasource] = provisioned.datasources;
    const variable = board.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(variable?.current?.value).toBe(datasource?.uid);
    expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('is loaded by docker-compose.yml: provisioning and dashboards mounted where they are read', () => {
    const provider = yamlOf(`${deployDir}grafana/provisioning/dashboards/stockd.yml`) as {
      providers: { options: { path: string } }[];
    };
    const grafana = compose.services.grafana!;
    expect(grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(grafana.volumes).toContain(
      `./deploy/grafana/dashboards:${provider.providers[0]!.options.path}:ro`,
    );
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `${provider.providers[0]!.options.path}/stockd.json`,
    );
  });

  it('has Prometheus in docker-compose.yml load the config with its alerting rules', () => {
    expect(compose.services.prometheus!.volumes).toEqual([
      './deploy/prometheus:/etc/prometheus:ro',
    ]);
    const config = yamlOf(`${deployDir}prometheus/prometheus.yml`) as { rule_files: string[] };
    expect(config.rule_files).toEqual(['alerts.yml']);
  });
});

const { path, required } = locatePromtool();
const skipped = path === undefined && !required;
if (skipped) {
  console.warn(
    "promtool is not installed: the dashboard's PromQL is not checked " +
      '(apt-get install prometheus; with CI=true it is checked and fails instead)',
  );
}

describe.skipIf(skipped)("the Grafana dashboard's queries, checked by promtool", () => {
  it('are valid PromQL once Grafana has put its variables in', () => {
    // Each query becomes a recording rule, which `promtool check rules` parses.
    const rules = dashboardExpressions().map(({ expr }, i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.+'),
    }));
    expect(
      rules.every((rule) => !rule.expr.includes('$')),
      'an unknown variable',
    ).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'stockd-dashboard-'));
    try {
      const file = join(dir, 'dashboard-queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const { status, output } = promtool(path, ['check', 'rules', file]);
      expect(status, output).toBe(0);
      expect(output).toContain(`${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
