import { App } from 'cdk8s';
import { PooledWebAppChart } from './chart';

const app = new App();
new PooledWebAppChart(app, 'pooled-web-app');
app.synth();
