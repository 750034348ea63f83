/** One series selector of a PromQL expression: `name{label op "value", …}`. */
export interface Selector {
  readonly name: string;
  readonly matchers: readonly Matcher[];
}

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** Words of PromQL that are not metric names when they stand alone. */
const keywords = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);
/** Aggregation operators: `sum by (le) (…)` as well as `sum(…) by (le)`. */
const aggregations = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
/** Modifiers followed by a list of label names, not of expressions. */
const labelListModifiers = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * The series selectors of an expression, for checking the names a dashboard or a rule uses
 * against a real scrape. A small scanner, not a parser: enough for the expressions of deploy/
 * (functions, aggregations with by/without, binary operators, ranges and subqueries, Grafana
 * variables such as `$__rate_interval`), and it throws on what it does not understand rather
 * than guessing.
 */
export function selectorsOf(expression: string): Selector[] {
  const selectors: Selector[] = [];
  const text = expression;
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '[') {
      // A range or subquery: durations and Grafana variables only.
      const end = text.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in ${expression}`);
      i = end + 1;
    } else if (c === '"' || c === "'") {
      i = endOfString(text, i);
    } else if (c === '$') {
      i++;
      while (i < text.length && /\w/.test(text[i]!)) i++;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      const number = /^(?:\d*\.?\d+(?:e[+-]?\d+)?|0x[0-9a-f]+)/i.exec(text.slice(i));
      i += number![0].length;
    } else if (/[A-Za-z_:]/.test(c)) {
      const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(text.slice(i))![0];
      i += word.length;
      skipSpace();
      const next = text[i];
      if (labelListModifiers.has(word) && next === '(') {
        const end = text.indexOf(')', i);
        if (end < 0) throw new Error(`unclosed ( after ${word} in ${expression}`);
        i = end + 1;
      } else if (next === '(' || keywords.has(word.toLowerCase()) || aggregations.has(word)) {
        // A function or aggregation (its arguments are scanned next), or an operator.
      } else if (next === '{') {
        const { matchers, end } = matchersAt(text, i);
        selectors.push({ name: word, matchers });
        i = end;
      } else {
        selectors.push({ name: word, matchers: [] });
      }
    } else if (c === '{') {
      throw new Error(`a selector without a metric name in ${expression}`);
    } else if ('()+-*/%^=!<>,'.includes(c)) {
      i++;
    } else {
      throw new Error(`unexpected ${c} in ${expression}`);
    }
  }
  return selectors;
}

function matchersAt(text: string, open: number): { matchers: Matcher[]; end: number } {
  const matchers: Matcher[] = [];
  const pattern = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*,?/y;
  pattern.lastIndex = open + 1;
  for (;;) {
    if (/^\s*\}/.test(text.slice(pattern.lastIndex))) {
      return { matchers, end: text.indexOf('}', pattern.lastIndex) + 1 };
    }
    const match = pattern.exec(text);
    if (match === null) throw new Error(`unreadable label matchers in ${text}`);
    const [, label, op, quoted] = match;
    const value = quoted!.slice(1, -1).replace(/\\(.)/g, '$1');
    matchers.push({ label: label!, op: op as Matcher['op'], value });
  }
}

function endOfString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  throw new Error(`unclosed string in ${text}`);
}
