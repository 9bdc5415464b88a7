import * as path from 'path';
import { run, serviceTempDir, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { renderPgBackRestIni } from '../../src/core/render/pgbackrest-ini';

const AWKWARD_PATH = '/data/it\'s "here" # not a comment; 50%';

describe('pgbackrest.conf rendered by core, read by the real pgbackrest', () => {
  const dir = serviceTempDir('pgbackrest-ini');
  const conf = path.join(dir.path, 'pgbackrest.conf');
  afterAll(() => dir.remove());

  beforeAll(() => {
    writeServiceFile(conf, renderPgBackRestIni('pgbackrest.conf', [
      { name: 'global', entries: [{ key: 'repo1-path', value: `${dir.path}/repo` }, { key: 'start-fast', value: true }, { key: 'delta', value: false }, { key: 'log-level-console', value: 'warn' }] },
      { name: 'global:archive-push', entries: [{ key: 'compress-level', value: 3 }] },
      { name: 'main', entries: [{ key: 'pg1-path', value: AWKWARD_PATH }, { key: 'recovery-option', value: ['recovery_target_action=promote', 'primary_conninfo=host=a port=5432'] }] },
    ]));
  });

  // `pgbackrest help <command> <option>` prints the value it read as "current: ...".
  const current = (command: string, option: string) => {
    const help = run(program('pgbackrest'), [`--config=${conf}`, '--stanza=main', 'help', command, option]);
    const line = help.split('\n').find((l) => l.startsWith('current: '));
    return line?.slice('current: '.length);
  };

  test('values with quotes, # ; and % are read verbatim', () => {
    expect(current('backup', 'pg1-path')).toBe(AWKWARD_PATH);
    expect(current('backup', 'repo1-path')).toBe(`${dir.path}/repo`);
  });

  test('y/n booleans, command sections and repeated keys are understood', () => {
    // help displays a boolean it parsed from "y" as "true"
    expect(current('backup', 'start-fast')).toBe('true');
    expect(current('backup', 'delta')).toBe('false');
    expect(current('archive-push', 'compress-level')).toBe('3');
    expect(current('restore', 'recovery-option')).toBe('recovery_target_action=promote, primary_conninfo=host=a port=5432');
  });
});
