import { createHash } from 'crypto';
import { Finding } from './engine';

/** Output formats of the CLI. */
export const FORMATS = ['text', 'json', 'github', 'gitlab'] as const;
export type Format = typeof FORMATS[number];

/** Renders findings (suppressed ones included only where the format can say so). */
export function formatFindings(findings: readonly Finding[], format: Format): string {
  const active = findings.filter((f) => !f.suppressedBecause);
  switch (format) {
    case 'json':
      return `${JSON.stringify(findings, undefined, 2)}\n`;
    case 'github':
      return active.map(githubAnnotation).join('');
    case 'gitlab':
      return `${JSON.stringify(active.map(gitlabIssue), undefined, 2)}\n`;
    default:
      return text(findings);
  }
}

function text(findings: readonly Finding[]): string {
  const active = findings.filter((f) => !f.suppressedBecause);
  const lines = active.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} [${f.ruleId}] ${f.message}${f.safeAlternative ? `\n    safe: ${f.safeAlternative}` : ''}\n`);
  const count = (s: string) => active.filter((f) => f.severity === s).length;
  const suppressed = findings.length - active.length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${suppressed} suppressed\n`);
  return lines.join('');
}

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function githubAnnotation(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const message = f.safeAlternative ? `${f.message}\nsafe: ${f.safeAlternative}` : f.message;
  return `::${level} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(f.ruleId)}::${escapeData(message)}\n`;
}

// GitLab Code Quality report (a subset of the Code Climate issue format).
function gitlabIssue(f: Finding) {
  return {
    description: `[${f.ruleId}] ${f.message}`,
    check_name: f.ruleId,
    fingerprint: createHash('sha256').update(`${f.file}\u0000${f.ruleId}\u0000${f.line}\u0000${f.statement}`).digest('hex'),
    severity: f.severity === 'error' ? 'major' : f.severity === 'warning' ? 'minor' : 'info',
    location: { path: f.file, lines: { begin: f.line } },
  };
}
