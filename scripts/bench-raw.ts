/**
 * Child process of `npm run bench` for the raw baseline: reads an example's manifests (written
 * by the parent from a library synth) and times them as plain ApiObjects. Imports cdk8s only.
 *
 *   node bench-raw.js <example> <manifests.json> <copies>
 */
import * as fs from 'fs';
import { measure, rawCopies } from './bench-synth';

const [example, file, copies] = process.argv.slice(2);
const manifests = JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(JSON.stringify(measure(example, 'raw', Number(copies), rawCopies(manifests))));
