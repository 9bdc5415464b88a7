import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every ```ts block of the README is a complete program, as a user would paste it into a cdk8s
// app: it must type-check against the library as written, and run (synthesize) without an error.

const ROOT = path.join(__dirname, '..');
const DOCS = ['README.md'];

interface Snippet { readonly file: string; readonly line: number; readonly code: string }

function snippets(): Snippet[] {
  return DOCS.flatMap((file) => {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const found: Snippet[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() !== '```ts') continue;
      const end = lines.indexOf('```', i + 1);
      found.push({ file, line: i + 2, code: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
    return found;
  });
}

const all = snippets();
// Inside the repository, so the snippets resolve cdk8s and cdk8s-plus-28 from its node_modules.
const dir = fs.mkdtempSync(path.join(ROOT, '.readme-snippets-'));
const files = all.map((snippet, i) => {
  const name = path.join(dir, `snippet-${i + 1}.ts`);
  fs.writeFileSync(name, snippet.code + '\n');
  return name;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the README has snippets', () => {
  // A count, so a README that loses its code blocks (or the fence style) fails here.
  expect(all.length).toBeGreaterThanOrEqual(6);
});

test('every README snippet type-checks as written', () => {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    baseUrl: ROOT,
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    types: ['node'],
    paths: { 'cdk8s-pg-reliability': ['src/index.ts'], '*': ['node_modules/*'] },
  });
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
    .map((d) => {
      const index = files.indexOf(path.resolve(d.file!.fileName));
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${all[index].file}:${all[index].line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(errors).toEqual([]);
});

test.each(all.map((snippet, i) => [`${snippet.file}:${snippet.line}`, i] as const))('the snippet at %s synthesizes', (_where, i) => {
  const out = path.join(dir, `out-${i + 1}`);
  // A fresh process per snippet, the library resolved to src/ and the output kept out of the repository.
  const register = `require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'test', 'tsconfig.json'))} });`
    + 'const Module = require(\'module\'); const resolve = Module._resolveFilename;'
    + `Module._resolveFilename = function (request, ...rest) { return resolve.call(this, request === 'cdk8s-pg-reliability' ? ${JSON.stringify(path.join(ROOT, 'src'))} : request, ...rest); };`
    + `require(${JSON.stringify(files[i])});`;
  execFileSync(process.execPath, ['-e', register], { cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: out }, stdio: 'pipe' });
  expect(fs.readdirSync(out).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
});
