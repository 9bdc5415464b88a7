import { App } from 'cdk8s';
import { PatroniHaChart } from './chart';

const app = new App();
new PatroniHaChart(app, 'patroni-ha', { namespace: 'database' });
app.synth();
