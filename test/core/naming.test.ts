import { Testing } from 'cdk8s';
import { assertDnsLabel, assertDnsSubdomain, assertServiceName, dnsLabel } from '../../src/core/naming';

describe('naming', () => {
  test('dnsLabel lower-cases, replaces what a label cannot hold and stays within 63 characters', () => {
    expect(dnsLabel('secret', 'App_DB', 'tls.crt')).toBe('secret-app-db-tls-crt');
    const long = dnsLabel('secret', 'x'.repeat(80), 'key');
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^secret-x+-[0-9a-f]{8}$/);
    // Two long names that share a prefix stay distinct, and the result is stable.
    expect(dnsLabel('secret', 'x'.repeat(80), 'other')).not.toBe(long);
    expect(dnsLabel('secret', 'x'.repeat(80), 'key')).toBe(long);
  });

  test('assertions name the construct, prop and value', () => {
    const chart = Testing.chart();
    expect(() => assertDnsLabel(chart, 'serviceName', 'Bad_Name')).toThrow('[test] serviceName: got "Bad_Name"; expected a DNS-1123 label');
    expect(() => assertDnsSubdomain(chart, 'name', 'a..b')).toThrow(/\[test\] name: got "a..b"; expected a DNS-1123 subdomain/);
    expect(() => assertDnsSubdomain(chart, 'name', 'db.example')).not.toThrow();
  });

  test('#11.15 dnsLabel turns an id such as "Nightly Full" into a valid name; service names start with a letter and respect a limit', () => {
    expect(dnsLabel('app-db', 'Nightly Full')).toBe('app-db-nightly-full');
    const chart = Testing.chart();
    expect(() => assertServiceName(chart, 'name', '1db')).toThrow('[test] name: got "1db"; expected a DNS-1035 label');
    expect(() => assertServiceName(chart, 'name', 'a'.repeat(51), 50)).toThrow('at most 50');
    expect(() => assertServiceName(chart, 'name', 'shop-db', 50)).not.toThrow();
  });
});
