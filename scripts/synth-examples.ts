/**
 * `npm run synth`: synthesizes every example app (examples/<name>/main.ts) into
 * dist/<name>/<chart>.k8s.yaml, each in its own process as `cdk8s synth` would run it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const examples = fs
  .readdirSync(path.join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, 'examples', e.name, 'main.ts')))
  .map((e) => e.name)
  .sort();

for (const name of examples) {
  const outdir = path.join(root, 'dist', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'examples', name, 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_OUTDIR: outdir, TS_NODE_PROJECT: path.join(root, 'test', 'tsconfig.json') },
  });
  const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
  console.log(`${name}: ${files.map((f) => path.join('dist', name, f)).join(', ')}`);
}
