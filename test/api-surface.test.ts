import * as path from 'path';
import { apiSurface } from '../scripts/api-surface';

// Reads the jsii assembly and lib/ that `npx projen compile` writes (CI compiles before testing).
const surface = apiSurface(path.join(__dirname, '..'));

describe('the public API as jsii publishes it', () => {
  test('GIVEN the assembly WHEN every public member is listed THEN each has a doc summary', () => {
    expect(surface.members.length).toBeGreaterThan(500);
    expect(surface.undocumented).toEqual([]);
  });

  test('GIVEN the assembly WHEN member types are read THEN none is any', () => {
    expect(surface.typedAny).toEqual([]);
  });

  test('GIVEN the compiled package WHEN its runtime exports are listed THEN jsii knows every one (no TypeScript-only export)', () => {
    expect(surface.typescriptOnly).toEqual([]);
  });
});
