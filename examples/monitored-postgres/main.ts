import { App } from 'cdk8s';
import { MonitoredPostgresChart } from './chart';

const app = new App();
new MonitoredPostgresChart(app, 'monitored-postgres');
app.synth();
