// Electronegativity over main/ and preload/: no HIGH or MEDIUM finding, and every file parsed
// (a file the scanner could not read would pass unseen).
import { expect, it } from 'vitest';
import { scan } from './electronegativity-scan';

it('Electronegativity finds nothing high or medium in main/ and preload/', async () => {
  const { checks, filesWithParseErrors, findings } = await scan();
  expect(checks).toBeGreaterThan(30);
  expect(filesWithParseErrors).toEqual([]);
  const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  expect(serious).toEqual([]);
}, 120_000);
