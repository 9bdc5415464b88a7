import * as fs from 'fs';
import * as path from 'path';
import * as monitoring from '../../src/monitoring';

const SRC = path.join(__dirname, '../../src');

/** Every .ts file under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The files a file imports (relative imports only, `import type` included), resolved to paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)';/gm)].map((m) => {
    const target = path.resolve(path.dirname(file), m[1]);
    return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
  });
}

/** The import cycles reachable from `roots`, each as a list of paths relative to src/. */
function cycles(roots: string[]): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, stack: string[]) => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      found.push([...stack.slice(at), file].map((f) => path.relative(SRC, f)));
      return;
    }
    if (done.has(file)) return;
    for (const next of importsOf(file)) visit(next, [...stack, file]);
    done.add(file);
  };
  roots.forEach((root) => visit(root, []));
  return found;
}

describe('the monitoring area\'s structure', () => {
  test('GIVEN the files of src/monitoring WHEN their imports are followed THEN no import cycle is found', () => {
    // GIVEN
    const files = tsFiles(path.join(SRC, 'monitoring'));
    // WHEN
    const found = cycles(files);
    // THEN
    expect(found).toEqual([]);
  });

  test('GIVEN the files of src/monitoring WHEN their imports are listed THEN they reach only core and the generated imports', () => {
    // GIVEN
    const files = tsFiles(path.join(SRC, 'monitoring'));
    // WHEN
    const areas = new Set(files.flatMap(importsOf).map((f) => path.relative(SRC, f).split(path.sep)[0]));
    // THEN
    expect([...areas].sort()).toEqual(['core', 'monitoring']);
  });

  test('GIVEN the monitoring index WHEN its exports are listed THEN each is a class jsii can see (no free function or constant)', () => {
    // WHEN
    const notClasses = Object.entries(monitoring).filter(([, value]) => typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value)));
    // THEN
    expect(notClasses.map(([name]) => name)).toEqual([]);
  });
});
