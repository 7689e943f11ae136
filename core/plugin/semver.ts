/**
 * The small part of semver the plugin host needs: versions "1.2.3" (with an optional "-pre" tag) and
 * ranges made of "^1.2.3", "~1.2.3", ">=1.0.0 <2.0.0", "1.2.x", "*", "1.0.0 - 1.4.0", joined by "||".
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(input: string): SemVer | null {
  const m = VERSION.exec(input.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

export function compareVersions(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  v: SemVer;
}

/** "1", "1.2", "1.x", "1.2.*" → the parts given (x/* and missing parts are null). */
function partial(input: string): { major: number | null; minor: number | null; patch: number | null; pre: string[] } | null {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(input);
  if (!m) return null;
  const n = (s: string | undefined) => (s === undefined || /^[xX*]$/.test(s) ? null : Number(s));
  const major = n(m[1]);
  const minor = major === null ? null : n(m[2]);
  const patch = minor === null ? null : n(m[3]);
  return { major, minor, patch, pre: m[4] && patch !== null ? m[4].split('.') : [] };
}

const v = (major: number, minor: number, patch: number, pre: string[] = []): SemVer => ({ major, minor, patch, pre });

function expand(token: string): Comparator[] | null {
  if (token === '*' || token === 'x' || token === 'X' || token === '') return [];
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const p = partial(m[2]);
  if (!p) return null;
  const { major, minor, patch, pre } = p;
  if (major === null) return op === '<' || op === '>' ? [{ op: '<', v: v(0, 0, 0) }] : [];
  const lo = v(major, minor ?? 0, patch ?? 0, pre);
  if (op === '^') {
    const hi = major > 0 || minor === null ? v(major + 1, 0, 0) : minor > 0 || patch === null ? v(0, minor + 1, 0) : v(0, 0, patch + 1);
    return [{ op: '>=', v: lo }, { op: '<', v: hi }];
  }
  if (op === '~') return [{ op: '>=', v: lo }, { op: '<', v: minor === null ? v(major + 1, 0, 0) : v(major, minor + 1, 0) }];
  if (op === '' || op === '=') {
    if (minor === null) return [{ op: '>=', v: lo }, { op: '<', v: v(major + 1, 0, 0) }];
    if (patch === null) return [{ op: '>=', v: lo }, { op: '<', v: v(major, minor + 1, 0) }];
    return [{ op: '=', v: lo }];
  }
  if (op === '>' && patch === null) return [{ op: '>=', v: minor === null ? v(major + 1, 0, 0) : v(major, minor + 1, 0) }];
  if (op === '<=' && patch === null) return [{ op: '<', v: minor === null ? v(major + 1, 0, 0) : v(major, minor + 1, 0) }];
  return [{ op: op as Op, v: lo }];
}

/** Parses a range into alternatives of comparator sets; null when it is not a valid range. */
export function parseRange(input: string): Comparator[][] | null {
  const alternatives: Comparator[][] = [];
  for (const raw of input.split('||')) {
    const part = raw.trim().replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(part);
    if (hyphen) {
      const a = partial(hyphen[1]);
      const b = partial(hyphen[2]);
      if (!a || !b || a.major === null || b.major === null) return null;
      const upper: Comparator = b.minor === null ? { op: '<', v: v(b.major + 1, 0, 0) } : b.patch === null ? { op: '<', v: v(b.major, b.minor + 1, 0) } : { op: '<=', v: v(b.major, b.minor, b.patch, b.pre) };
      alternatives.push([{ op: '>=', v: v(a.major, a.minor ?? 0, a.patch ?? 0, a.pre) }, upper]);
      continue;
    }
    const set: Comparator[] = [];
    for (const token of part.split(/\s+/)) {
      const c = expand(token);
      if (!c) return null;
      set.push(...c);
    }
    alternatives.push(set);
  }
  return alternatives.length ? alternatives : null;
}

export function isValidRange(range: string): boolean {
  return parseRange(range) !== null;
}

/** True when `version` is in `range`. Invalid input is never satisfied. */
export function satisfies(version: string, range: string): boolean {
  const ver = parseVersion(version);
  const alternatives = parseRange(range);
  if (!ver || !alternatives) return false;
  return alternatives.some((set) =>
    set.every(({ op, v: bound }) => {
      const c = compareVersions(ver, bound);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
    }),
  );
}
