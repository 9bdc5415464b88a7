import { App } from 'cdk8s';
import { MigratedAppChart } from './chart';

const app = new App();
new MigratedAppChart(app, 'migrated-app');
app.synth();
