import * as fs from 'fs';
import * as path from 'path';

/** The library's source folder. */
export const SRC = path.join(__dirname, '../../src');

/** Every .ts file under `dir`, recursively. */
export function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The files a file imports (relative imports only, `import type` included), resolved to paths. */
export function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)';/gm)].map((m) => {
    const target = path.resolve(path.dirname(file), m[1]);
    return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
  });
}

/** The import cycles reachable from `roots`, each as a list of paths relative to src/. */
export function cycles(roots: string[]): string[][] {
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
