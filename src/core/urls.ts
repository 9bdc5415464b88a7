import { IConstruct } from 'constructs';
import { propError } from './errors';

/**
 * Throws unless `url` is a plain http(s) URL that can sit in YAML: no credentials (`user:pass@`
 * would put a secret into every synthesized copy; they come from a Secret instead), no query or
 * fragment, no white space or quotes.
 */
export function checkServiceUrl(scope: IConstruct, prop: string, url: string | undefined, example: string): void {
  if (url === undefined) return;
  const match = /^https?:\/\/([^/?#\s'"]+)(\/[^?#\s'"]*)?$/.exec(url);
  if (!match) throw propError(scope, prop, url, `an http(s) URL without query or fragment, such as "${example}"`);
  if (match[1].includes('@')) {
    throw propError(scope, prop, redactUserInfo(url), 'no credentials in a URL (they would be in the YAML): give them from a Secret (e.g. pushgatewayCredentials)');
  }
}

/** The URL with its user-info part replaced, for error messages that must not repeat a secret. */
function redactUserInfo(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]*@/, '$1<credentials>@');
}
