import * as path from 'path';
import * as monitoring from '../../src/monitoring';
import { cycles, importsOf, SRC, tsFiles } from '../helpers/imports';

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
