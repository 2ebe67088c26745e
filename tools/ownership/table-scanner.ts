import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import * as ts from 'typescript';

/**
 * Finds which tables each library's production code names: in SQL text (string
 * and template literals) and in what it hands the ORM (an entity class passed
 * to any call: em.insert(X), getRepository(X), @InjectRepository(X),
 * TypeOrmModule.forFeature([X]); a table name passed to a query builder's
 * from/into/update). Parsing with the TypeScript compiler keeps comments out.
 */

export interface TableUse {
  lib: string;
  table: string;
  /** Relative to the scanned root, with forward slashes. */
  file: string;
  via: 'sql' | 'orm';
}

/** A use of a public view (a library's documented read model): any library may read one, only its owner may write it. */
export interface ViewUse extends TableUse {
  write: boolean;
}

/** Where a library's code is not production code: tests, fixtures, migrations, the declaration itself. */
const NOT_PRODUCTION = [/\.spec\.ts$/, /\.int-spec\.ts$/, /\.fixture\.ts$/, /\/migrations\//, /\/testing\//, /\/owned-tables\.ts$/];

/** libs/testing is the test harness, imported by specs only. */
const NOT_LIBRARIES = new Set(['testing']);

/** Clauses that name a table next. */
const TABLE_CLAUSE =
  /\b(FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES|TRUNCATE|USING)\s+(?:ONLY\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/gi;
/** A literal that begins as a statement is SQL whatever its case; elsewhere only an upper-case keyword counts, so prose ("taken from orders") does not. */
const STATEMENT_START = /^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|TRUNCATE|LOCK)\b/i;
/** Query-builder methods that take a table name as a string. */
const BUILDER_TABLE_ARG = new Set([
  'from',
  'into',
  'update',
  'delete',
  'createQueryBuilder',
  'getRepository',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
]);

export function librariesUnder(root: string): string[] {
  const libs = join(root, 'libs');
  return readdirSync(libs)
    .filter((name) => !NOT_LIBRARIES.has(name) && existsSync(join(libs, name, 'src')))
    .sort();
}

export function productionFiles(root: string, lib: string): string[] {
  const src = join(root, 'libs', lib, 'src');
  return tsFiles(src).filter((f) => !NOT_PRODUCTION.some((p) => p.test(`/${toPosix(relative(src, f))}`)));
}

/** Each library's declared tables, read from libs/<lib>/src/owned-tables.ts. */
export function declaredOwnership(root: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const lib of librariesUnder(root)) {
    const file = join(root, 'libs', lib, 'src', 'owned-tables.ts');
    if (existsSync(file)) out.set(lib, (require(file) as { OWNED_TABLES: readonly string[] }).OWNED_TABLES);
  }
  return out;
}

/** Each library's public views (its read model for others), read from PUBLIC_VIEWS in libs/<lib>/src/owned-tables.ts. */
export function declaredViews(root: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const lib of librariesUnder(root)) {
    const file = join(root, 'libs', lib, 'src', 'owned-tables.ts');
    const views = existsSync(file) ? (require(file) as { PUBLIC_VIEWS?: readonly string[] }).PUBLIC_VIEWS : undefined;
    if (views) out.set(lib, views);
  }
  return out;
}

/** Entity class name -> table, from every @Entity('table') in the libraries. */
export function entityTables(root: string): Map<string, { table: string; lib: string }> {
  const out = new Map<string, { table: string; lib: string }>();
  for (const lib of librariesUnder(root)) {
    for (const file of productionFiles(root, lib)) {
      visit(parse(file), (node) => {
        if (!ts.isClassDeclaration(node) || !node.name) return;
        for (const d of ts.getDecorators(node) ?? []) {
          const call = d.expression;
          if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Entity') {
            const [arg] = call.arguments;
            if (arg && ts.isStringLiteralLike(arg)) out.set(node.name.text, { table: arg.text, lib });
          }
        }
      });
    }
  }
  return out;
}

/** Tables the migrations create (CREATE TABLE), so each can be checked to have an owner. */
export function migratedTables(root: string): string[] {
  const tables = new Set<string>();
  for (const file of tsFiles(join(root, 'libs', 'persistence', 'src', 'migrations'))) {
    for (const text of literalTexts(parse(file))) {
      for (const m of text.matchAll(/\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/gi)) tables.add(m[1]);
    }
  }
  return [...tables].sort();
}

/** Views the migrations create (CREATE VIEW), so each can be checked to have an owner. */
export function migratedViews(root: string): string[] {
  const views = new Set<string>();
  for (const file of tsFiles(join(root, 'libs', 'persistence', 'src', 'migrations'))) {
    for (const text of literalTexts(parse(file))) {
      for (const m of text.matchAll(/\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/gi))
        views.add(m[1]);
    }
  }
  return [...views].sort();
}

/** Every view of `views` that a library's production code names in SQL, and whether it writes it. */
export function scanViewUses(root: string, views: ReadonlySet<string>): ViewUse[] {
  const uses = new Map<string, ViewUse>();
  for (const lib of librariesUnder(root)) {
    for (const path of productionFiles(root, lib)) {
      const file = toPosix(relative(root, path));
      for (const text of literalTexts(parse(path))) {
        for (const { table, write } of sqlTableAccess(text, views)) {
          const use: ViewUse = { lib, table, file, via: 'sql', write };
          const k = `${key(use)}|${write}`;
          uses.set(k, use);
        }
      }
    }
  }
  return [...uses.values()].sort((a, b) => `${key(a)}|${a.write}`.localeCompare(`${key(b)}|${b.write}`));
}

/** The uses that write a view another library owns. */
export function foreignViewWrites(uses: readonly ViewUse[], views: ReadonlyMap<string, readonly string[]>): ViewUse[] {
  return uses.filter((u) => u.write && !(views.get(u.lib) ?? []).includes(u.table));
}

/** Every table of `tables` that a library's production code names, one row per library, table, file and kind. */
export function scanTableUses(root: string, tables: ReadonlySet<string>, entities: ReadonlyMap<string, { table: string }>): TableUse[] {
  const uses = new Map<string, TableUse>();
  const add = (use: TableUse) => uses.set(`${use.lib}|${use.table}|${use.file}|${use.via}`, use);
  for (const lib of librariesUnder(root)) {
    for (const path of productionFiles(root, lib)) {
      const file = toPosix(relative(root, path));
      const source = parse(path);
      for (const text of literalTexts(source)) for (const table of sqlTables(text, tables)) add({ lib, table, file, via: 'sql' });
      for (const table of ormTables(source, tables, entities)) add({ lib, table, file, via: 'orm' });
    }
  }
  return [...uses.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** The known tables a piece of SQL text names. */
export function sqlTables(text: string, tables: ReadonlySet<string>): string[] {
  const anyCase = STATEMENT_START.test(text);
  const out = new Set<string>();
  for (const m of text.matchAll(TABLE_CLAUSE)) {
    if (!anyCase && m[1] !== m[1].toUpperCase()) continue;
    if (tables.has(m[2])) out.add(m[2]);
  }
  return [...out];
}

/**
 * The known tables a piece of SQL text names, each with whether the statement
 * writes it: INSERT INTO, UPDATE, DELETE FROM, TRUNCATE, ALTER/DROP TABLE write;
 * FROM, JOIN and USING read.
 */
export function sqlTableAccess(text: string, tables: ReadonlySet<string>): { table: string; write: boolean }[] {
  const anyCase = STATEMENT_START.test(text);
  const out = new Map<string, boolean>();
  for (const m of text.matchAll(TABLE_CLAUSE)) {
    if (!anyCase && m[1] !== m[1].toUpperCase()) continue;
    if (!tables.has(m[2])) continue;
    const clause = m[1].toUpperCase();
    const deleting = clause === 'FROM' && /\bDELETE\s+$/i.test(text.slice(0, m.index));
    const write = deleting || !['FROM', 'JOIN', 'USING'].includes(clause);
    out.set(m[2], (out.get(m[2]) ?? false) || write);
  }
  return [...out].map(([table, write]) => ({ table, write }));
}

/** The uses that name a table the library does not own. */
export function foreignUses(uses: readonly TableUse[], ownership: ReadonlyMap<string, readonly string[]>): TableUse[] {
  return uses.filter((u) => !(ownership.get(u.lib) ?? []).includes(u.table));
}

function ormTables(source: ts.SourceFile, tables: ReadonlySet<string>, entities: ReadonlyMap<string, { table: string }>): string[] {
  // import { MemberEntity as Member } still hands the ORM MemberEntity.
  const aliases = new Map<string, string>();
  visit(source, (node) => {
    if (ts.isImportSpecifier(node) && node.propertyName) aliases.set(node.name.text, node.propertyName.text);
  });
  const entityOf = (e: ts.Expression): string | undefined => {
    if (!ts.isIdentifier(e)) return undefined;
    return entities.get(aliases.get(e.text) ?? e.text)?.table;
  };
  const out = new Set<string>();
  visit(source, (node) => {
    if (!ts.isCallExpression(node)) return;
    const method = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : undefined;
    for (const arg of node.arguments) {
      const args = ts.isArrayLiteralExpression(arg) ? [...arg.elements] : [arg];
      for (const a of args) {
        const table = entityOf(a);
        if (table) out.add(table);
      }
      if (method && BUILDER_TABLE_ARG.has(method) && ts.isStringLiteralLike(arg) && tables.has(arg.text)) out.add(arg.text);
    }
  });
  return [...out];
}

/**
 * The text of each string and template literal; a template's placeholders and
 * the non-literal operands of a '+' chain become `$x`, so SQL built in pieces
 * is read whole.
 */
function literalTexts(source: ts.SourceFile): string[] {
  const out: string[] = [];
  const textOf = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => ` $x ${s.literal.text}`).join('');
    return undefined;
  };
  const walk = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const parts = flattenPlus(node);
      if (parts.some((p) => textOf(p) !== undefined)) {
        out.push(parts.map((p) => textOf(p) ?? ' $x ').join(''));
        // Expressions inside the chain's placeholders may hold SQL of their own.
        for (const p of parts) if (textOf(p) === undefined) walk(p);
        return;
      }
    }
    const text = textOf(node);
    if (text !== undefined) out.push(text);
    ts.forEachChild(node, walk);
  };
  walk(source);
  return out;
}

function flattenPlus(node: ts.Expression): ts.Expression[] {
  if (ts.isParenthesizedExpression(node)) return flattenPlus(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...flattenPlus(node.left), ...flattenPlus(node.right)];
  return [node];
}

function visit(node: ts.Node, fn: (node: ts.Node) => void): void {
  fn(node);
  ts.forEachChild(node, (child) => visit(child, fn));
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return tsFiles(path);
      return name.endsWith('.ts') ? [path] : [];
    });
}

const toPosix = (p: string) => p.split(sep).join('/');
const key = (u: TableUse) => `${u.lib}|${u.table}|${u.file}|${u.via}`;
