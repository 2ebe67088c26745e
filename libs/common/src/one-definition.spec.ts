import { readFileSync, readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';
import { ORDER_STATUSES } from './order-status';
import { ROLES } from './roles';
import { VETTING_STATUSES } from './vetting-status';

/**
 * Each concept below is declared once, in libs/common, and everyone else
 * imports it: a second list of its values (a union type, an array, an enum)
 * in production code would drift from the first without the type check noticing.
 * The same holds for the lengths of time in time.ts.
 */
const CONCEPTS: { name: string; values: readonly string[]; home: string }[] = [
  { name: 'roles', values: ROLES, home: 'libs/common/src/roles.ts' },
  { name: 'vetting statuses', values: VETTING_STATUSES, home: 'libs/common/src/vetting-status.ts' },
  { name: 'order statuses', values: ORDER_STATUSES, home: 'libs/common/src/order-status.ts' },
];
const TIME_HOME = 'libs/common/src/time.ts';
/** A day and an hour in milliseconds, spelled as numbers. */
const TIME_LITERALS = new Set([86_400_000, 3_600_000]);

const ROOT = join(__dirname, '..', '..', '..');
const NOT_PRODUCTION = [/\.spec\.ts$/, /\.int-spec\.ts$/, /\/testing\//, /\/migrations\//];

/** What a source text declares again: each concept whose every value it lists in one union, array or enum, and each time length it spells. */
export function redeclarations(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const check = (values: string[]) => {
    for (const c of CONCEPTS) if (c.values.every((v) => values.includes(v))) found.add(c.name);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isUnionTypeNode(node)) {
      check(node.types.flatMap((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : [])));
    } else if (ts.isArrayLiteralExpression(node)) {
      check(node.elements.flatMap((e) => (ts.isStringLiteralLike(e) ? [e.text] : [])));
    } else if (ts.isEnumDeclaration(node)) {
      check(node.members.map((m) => (m.initializer && ts.isStringLiteralLike(m.initializer) ? m.initializer.text : m.name.getText(source))));
    } else if (ts.isNumericLiteral(node) && TIME_LITERALS.has(Number(node.text))) {
      found.add(`time length ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Production code of the libraries and of the API and the worker (the portal keeps its own copies by design: it imports no library). */
function productionFiles(): string[] {
  const roots = [
    ...readdirSync(join(ROOT, 'libs')).map((lib) => join(ROOT, 'libs', lib, 'src')),
    join(ROOT, 'apps', 'api', 'src'),
    join(ROOT, 'apps', 'worker', 'src'),
  ];
  return roots
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(tsFiles)
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    .filter((file) => !NOT_PRODUCTION.some((p) => p.test(`/${file}`)));
}

describe('one definition per concept', () => {
  it('finds a second list of a concept, in any of its forms, and a spelled-out time length', () => {
    expect(redeclarations('a.ts', `export type Role = 'CLIENT' | 'SUPPLIER' | 'PARTNER';`)).toEqual(['roles']);
    expect(redeclarations('a.ts', `const SIDES = ['PARTNER', 'CLIENT', 'SUPPLIER', 'ADMIN'];`)).toEqual(['roles']);
    expect(redeclarations('a.ts', `enum S { A = 'APPLIED', U = 'UNDER_REVIEW', V = 'VETTED', S = 'SUSPENDED', R = 'REVOKED' }`)).toEqual(['vetting statuses']);
    expect(redeclarations('a.ts', `enum O { ROUTING, OFFERED, ACCEPTED, FULFILLED, CANCELLED, UNROUTABLE, REFUNDED, DISPUTED, PARTIALLY_REFUNDED }`)).toEqual([
      'order statuses',
    ]);
    expect(redeclarations('a.ts', `const DAY_MS = 86_400_000; const H = 3600000;`)).toEqual(['time length 86_400_000', 'time length 3600000']);
  });

  it('leaves alone a part of a concept, prose and comments', () => {
    expect(redeclarations('a.ts', `type ShareSide = Extract<Role, 'CLIENT' | 'SUPPLIER'>; const done = ['FULFILLED', 'REFUNDED'];`)).toEqual([]);
    expect(redeclarations('a.ts', `// 'CLIENT' | 'SUPPLIER' | 'PARTNER', 86_400_000\nconst s = 'CLIENT, SUPPLIER, PARTNER';`)).toEqual([]);
  });

  it('declares roles, vetting statuses, order statuses and time lengths only in libs/common', () => {
    const homes = new Map<string, string>([...CONCEPTS.map((c) => [c.name, c.home] as [string, string])]);
    const elsewhere = productionFiles().flatMap((file) =>
      redeclarations(file, readFileSync(join(ROOT, file), 'utf8'))
        .filter((what) => (what.startsWith('time length') ? file !== TIME_HOME : homes.get(what) !== file))
        .map((what) => `${file}: ${what}`),
    );
    expect(elsewhere).toEqual([]);
  });
});
