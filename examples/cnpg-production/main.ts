import { App } from 'cdk8s';
import { CnpgProductionChart } from './chart';

const app = new App();
new CnpgProductionChart(app, 'cnpg-production');
app.synth();
