// The Prometheus side of the operations kit, checked by Prometheus's own tool: the config and
// its rule files load, and every alert fires exactly when alerts.test.yml specifies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployDir, locatePromtool, promtool, rulesFile } from './operations-kit.ts';

const { path, required } = locatePromtool();
const skipped = path === undefined && !required;
if (skipped) {
  console.warn(
    'promtool is not installed: the promtool checks of deploy/prometheus are skipped ' +
      '(apt-get install prometheus; with CI=true they run and fail instead)',
  );
}

describe.skipIf(skipped)('deploy/prometheus, checked by promtool', () => {
  it('has a config whose rule files load (promtool check config)', () => {
    const { status, output } = promtool(path, ['check', 'config', 'prometheus/prometheus.yml']);
    expect(status, output).toBe(0);
    expect(output).toContain('alerts.yml');
  });

  it('has alerting rules that parse and lint clean (promtool check rules)', () => {
    const { status, output } = promtool(path, ['check', 'rules', 'prometheus/alerts.yml']);
    expect(status, output).toBe(0);
  });

  it('fires every alert when alerts.test.yml says, and only then (promtool test rules)', () => {
    const { status, output } = promtool(
      path,
      ['test', 'rules', 'alerts.test.yml'],
      `${deployDir}prometheus`,
    );
    expect(status, output).toBe(0);
  });
});

interface Rule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('deploy/prometheus/alerts.yml', () => {
  const rules = (
    parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((group) => group.rules);
  const ruleTests = parse(readFileSync(`${deployDir}prometheus/alerts.test.yml`, 'utf8')) as {
    tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const specified = new Set(
    ruleTests.tests
      .flatMap((test) => test.alert_rule_test)
      .filter((check) => check.exp_alerts.length > 0)
      .map((check) => check.alertname),
  );

  it('gives every alert a severity, a summary and a description', () => {
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
    }
  });

  it('has a test in alerts.test.yml in which each alert fires', () => {
    expect(rules.map((rule) => rule.alert).filter((name) => !specified.has(name!))).toEqual([]);
  });
});
