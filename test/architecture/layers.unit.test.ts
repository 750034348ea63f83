import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder map of docs/architecture.md, enforced: each room of `src/` names the rooms it may
 * import (type-only imports count too: they are coupling all the same). A room may always import
 * itself. Nothing may import `main.ts`, and the file-level import graph has no cycle.
 */
const mayImport: Record<string, readonly string[]> = {
  domain: [],
  errors: ['domain'],
  config: ['domain'],
  partitioner: ['domain'],
  retry: [],
  lifecycle: [],
  checkpoint: ['domain'],
  'worker-protocol': ['domain', 'errors', 'partitioner'],
  actors: ['domain', 'errors', 'partitioner', 'checkpoint', 'worker-protocol'],
  engine: ['domain', 'errors', 'config', 'partitioner', 'checkpoint', 'worker-protocol'],
  app: [
    'domain',
    'errors',
    'config',
    'partitioner',
    'checkpoint',
    'worker-protocol',
    'engine',
    'requests',
  ],
  requests: ['domain'],
  kafka: ['domain', 'config', 'checkpoint', 'retry'],
  postgres: ['retry', 'config'],
  metrics: ['domain', 'worker-protocol', 'engine'],
  replication: ['domain', 'config', 'checkpoint', 'kafka', 'retry', 'lifecycle'],
  projection: ['domain', 'config', 'kafka', 'postgres', 'retry', 'lifecycle'],
  'ingress/http': [
    'domain',
    'errors',
    'config',
    'worker-protocol',
    'engine',
    'app',
    'requests',
    'kafka',
    'lifecycle',
    'metrics',
  ],
  'ingress/kafka': [
    'domain',
    'errors',
    'config',
    'worker-protocol',
    'engine',
    'app',
    'requests',
    'kafka',
    'retry',
    'lifecycle',
  ],
  reports: ['domain', 'errors', 'config', 'postgres', 'retry', 'ingress/http'],
  compose: [
    'domain',
    'errors',
    'config',
    'partitioner',
    'checkpoint',
    'worker-protocol',
    'engine',
    'app',
    'requests',
    'kafka',
    'postgres',
    'metrics',
    'replication',
    'projection',
    'ingress/http',
    'ingress/kafka',
    'reports',
    'retry',
    'lifecycle',
  ],
  cli: ['domain', 'errors', 'config', 'partitioner', 'checkpoint', 'actors', 'app', 'compose'],
  main: ['config', 'metrics', 'compose', 'cli', 'projection'],
};

const srcDir = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `ingress/http/routes/x.ts` → `ingress/http`; `errors.ts` → `errors`; `domain/a.ts` → `domain`. */
function roomOf(file: string): string {
  const parts = relative(srcDir, file).split('/');
  if (parts.length === 1) return parts[0]!.replace(/\.ts$/, '');
  if (parts[0] === 'ingress') return `ingress/${parts[1]}`;
  return parts[0]!;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((m) => resolve(dirname(file), m[1]!));
}

const files = sourceFiles(srcDir);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layering of src/', () => {
  it('gives every room of src/ a rule', () => {
    const rooms = new Set(files.map(roomOf));
    expect([...rooms].filter((room) => mayImport[room] === undefined)).toEqual([]);
  });

  it('has no import running up a layer or sideways into a room not listed', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = roomOf(file);
      for (const target of targets) {
        const to = roomOf(target);
        if (to === from || mayImport[from]?.includes(to)) continue;
        violations.push(`${relative(srcDir, file)} → ${relative(srcDir, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const loop = path.slice(path.indexOf(file)).concat(file);
        cycles.push(loop.map((f) => relative(srcDir, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
