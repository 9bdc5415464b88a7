import { App } from 'cdk8s';
import { ReadReplicasChart } from './chart';

const app = new App();
new ReadReplicasChart(app, 'read-replicas');
app.synth();
