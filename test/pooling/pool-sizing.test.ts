import { PoolSizing } from '../../src';

describe('PoolSizing', () => {
  test('GIVEN 4 cores on SSD (and 16 cores on 4 disks) WHEN sized by the rule of thumb THEN 9 (36) useful connections, twice that with headroom', () => {
    expect(PoolSizing.usefulConnections({ cpuCores: 4 })).toBe(9);
    expect(PoolSizing.usefulConnections({ cpuCores: 16, effectiveSpindles: 4 })).toBe(36);
    expect(PoolSizing.withHeadroom({ cpuCores: 4 })).toBe(18);
    expect(PoolSizing.withHeadroom({ cpuCores: 4 }, 2.25)).toBe(21);
  });

  test('GIVEN a total WHEN split between pods THEN each gets its share rounded down', () => {
    expect(PoolSizing.perPod(50, 3)).toBe(16);
    expect(PoolSizing.perPod(20, 20)).toBe(1);
  });

  test('GIVEN nonsense capacities, headroom or pods WHEN sized THEN refused with the reason', () => {
    expect(() => PoolSizing.usefulConnections({ cpuCores: 0 })).toThrow('PoolSizing: cpuCores got 0; expected an integer of at least 1');
    expect(() => PoolSizing.withHeadroom({ cpuCores: 2 }, 0.5)).toThrow('PoolSizing: headroom got 0.5; expected a number of at least 1');
    expect(() => PoolSizing.perPod(10, 0)).toThrow('PoolSizing: pods got 0');
    expect(() => PoolSizing.perPod(2, 3)).toThrow('PoolSizing: 2 connections over 3 pods leaves less than one each');
  });
});
