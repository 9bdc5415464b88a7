import { App } from 'cdk8s';
import { BackedUpPostgresChart } from './chart';

const app = new App();
new BackedUpPostgresChart(app, 'backed-up-postgres');
app.synth();
