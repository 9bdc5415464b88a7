import { Testing } from 'cdk8s';
import { assertDnsLabel, assertDnsSubdomain, assertServiceName, dnsLabel } from '../../src/core/naming';

describe('naming', () => {
  test('GIVEN name parts WHEN dnsLabel joins them THEN it lower-cases, replaces what a label cannot hold and stays within 63 characters', () => {
    // WHEN the parts hold upper case, "_" and "." THEN they become a lower-case label joined by "-"
    expect(dnsLabel('secret', 'App_DB', 'tls.crt')).toBe('secret-app-db-tls-crt');
    // WHEN the parts are too long
    const long = dnsLabel('secret', 'x'.repeat(80), 'key');
    // THEN the label is cut to 63 characters with a hash at the end
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^secret-x+-[0-9a-f]{8}$/);
    // THEN two long names that share a prefix stay distinct, and the result is stable
    expect(dnsLabel('secret', 'x'.repeat(80), 'other')).not.toBe(long);
    expect(dnsLabel('secret', 'x'.repeat(80), 'key')).toBe(long);
  });

  test('GIVEN a chart WHEN a name assertion fails THEN the error names the construct, prop and value', () => {
    // GIVEN a chart
    const chart = Testing.chart();
    // WHEN a DNS label has "_" THEN the error names the chart, prop and value
    expect(() => assertDnsLabel(chart, 'serviceName', 'Bad_Name')).toThrow('[test] serviceName: got "Bad_Name"; expected a DNS-1123 label');
    // WHEN a DNS subdomain has an empty part THEN it is refused, and a valid one is accepted
    expect(() => assertDnsSubdomain(chart, 'name', 'a..b')).toThrow(/\[test\] name: got "a..b"; expected a DNS-1123 subdomain/);
    expect(() => assertDnsSubdomain(chart, 'name', 'db.example')).not.toThrow();
  });

  test('#11.15 GIVEN an id such as "Nightly Full" and service names WHEN dnsLabel and assertServiceName check them THEN the id becomes a valid name; service names start with a letter and respect a limit', () => {
    // WHEN an id with a space and capitals is turned into a label THEN it is valid
    expect(dnsLabel('app-db', 'Nightly Full')).toBe('app-db-nightly-full');
    // GIVEN a chart
    const chart = Testing.chart();
    // WHEN a service name starts with a digit THEN it is refused as not a DNS-1035 label
    expect(() => assertServiceName(chart, 'name', '1db')).toThrow('[test] name: got "1db"; expected a DNS-1035 label');
    // WHEN a service name is longer than the limit THEN it is refused; within it, accepted
    expect(() => assertServiceName(chart, 'name', 'a'.repeat(51), 50)).toThrow('at most 50');
    expect(() => assertServiceName(chart, 'name', 'shop-db', 50)).not.toThrow();
  });
});
