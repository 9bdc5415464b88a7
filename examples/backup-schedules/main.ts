import { App } from 'cdk8s';
import { BackupSchedulesChart } from './chart';

const app = new App();
new BackupSchedulesChart(app, 'backup-schedules');
app.synth();
