// The e2e harness' S3 endpoint: s3rver (npm) over TLS, with one key pair and the given buckets.
// Run by S3Peer as its own process: node s3-server.js (settings in the environment, keys included,
// so they never appear in a process listing).
'use strict';
const fs = require('fs');
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`s3-server: ${name} is not set`);
  return value;
};
// Requests are signed with the keys the pods got from their Secret: s3rver checks each signature.
DUMMY_ACCOUNT.createKeyPair(env('S3_ACCESS_KEY_ID'), env('S3_SECRET_ACCESS_KEY'));
const server = new S3rver({
  address: env('S3_ADDRESS'),
  port: Number(env('S3_PORT')),
  directory: env('S3_DIRECTORY'),
  key: fs.readFileSync(env('S3_TLS_KEY')),
  cert: fs.readFileSync(env('S3_TLS_CERT')),
  configureBuckets: env('S3_BUCKETS').split(',').map((name) => ({ name })),
  silent: process.env.S3_LOG_REQUESTS !== '1',
});
server.run().then(
  (address) => console.log(`s3rver listening on ${address.address}:${address.port}`),
  (error) => {
    console.error(`s3rver failed to start: ${error.message}`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
