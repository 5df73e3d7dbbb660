/**
 * Redacts secrets from CI logs and API answers before they are written:
 * private keys (PEM blocks, also across log lines), Authorization headers,
 * passwords in URLs, well-known token formats, `name=value` / `name: value`
 * assignments whose name says password, secret, token or key, and the
 * values of variables the user names. Text is handled as latin1 so that
 * every byte that is not redacted, valid UTF-8 or not, is kept exactly.
 */

export interface RedactionPolicy {
  /** Variable names whose assigned values are secrets (`--redact-var`), matched exactly. */
  variables: string[];
}

export interface LineRedaction {
  /** 0-based position in the log (Woodpecker's `line` field where there is one). */
  line: number;
  rules: string[];
}

export const REDACTION_RULES: Record<string, string> = {
  'private-key': 'PEM private key blocks (-----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----), across lines',
  authorization: 'credentials after Authorization: Bearer|Basic|Token',
  'url-credentials': 'the password in scheme://user:password@host',
  token: 'well-known token formats (GitHub, GitLab, Slack, AWS access key ids, Google API keys, npm, Docker Hub, JSON Web Tokens)',
  'secret-assignment':
    'the value in name=value or name: value when the name contains password, passwd, passphrase, secret, token, api key, access key, private key or credential',
  variable: 'the value assigned to a variable named with --redact-var',
};

const mark = (rule: string) => `[REDACTED:${rule}]`;
const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
const VALUE = `("[^"]*"|'[^']*'|[^\\s"',;]+)`;

interface Rule {
  id: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const FIXED_RULES: Rule[] = [
  { id: 'private-key', pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, replace: () => mark('private-key') },
  {
    id: 'authorization',
    pattern: /\b((?:proxy-)?authorization\s*:\s*(?:bearer|basic|token)\s+)[^\s"',;]+/gi,
    replace: (_m, head = '') => `${head}${mark('authorization')}`,
  },
  { id: 'url-credentials', pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, replace: (_m, head = '') => `${head}${mark('url-credentials')}@` },
  {
    id: 'token',
    pattern:
      /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|dckr_pat_[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b/g,
    replace: () => mark('token'),
  },
  {
    id: 'secret-assignment',
    pattern: new RegExp(
      `(\\b[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*["']?\\s*[=:]\\s*)${VALUE}`,
      'gi',
    ),
    replace: (match, head = '', value = '') => (isPlaceholder(value) ? match : `${head}${mark('secret-assignment')}`),
  },
];

/** Values that are not secrets: already masked or redacted, empty, or a reference to a variable. */
function isPlaceholder(value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, '');
  return bare === '' || /^\*+$/.test(bare) || bare.startsWith('[REDACTED') || /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(bare);
}

function variableRules(policy: RedactionPolicy): Rule[] {
  return policy.variables.map((name) => ({
    id: `variable:${name}`,
    pattern: new RegExp(`(\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*[=:]\\s*)${VALUE}`, 'g'),
    replace: (match: string, head = '', value = '') => (isPlaceholder(value) ? match : `${head}${mark('variable')}`),
  }));
}

/** Redacts one piece of text; returns the rules that fired (none: the text is unchanged). */
export function redactText(text: string, policy: RedactionPolicy): { text: string; rules: string[] } {
  let out = text;
  const rules: string[] = [];
  for (const rule of [...FIXED_RULES, ...variableRules(policy)]) {
    const next = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
    if (next !== out) rules.push(rule.id);
    out = next;
  }
  return { text: out, rules };
}

/**
 * Redacts a log given as its lines' bytes, in order. A private key printed
 * over several lines is redacted from its BEGIN line through its END line;
 * one that never ends is redacted to the end of the log (fail closed).
 */
export function redactLogLines(lines: Buffer[], policy: RedactionPolicy): { lines: Buffer[]; redactions: LineRedaction[] } {
  const redactions: LineRedaction[] = [];
  let inKey = false;
  const out = lines.map((bytes, line) => {
    let text = bytes.toString('latin1');
    const rules: string[] = [];
    if (inKey) {
      const end = KEY_END.exec(text);
      text = end ? `${mark('private-key')}${text.slice(end.index + end[0].length)}` : mark('private-key');
      inKey = end === null;
      rules.push('private-key');
    }
    const redacted = redactText(text, policy);
    text = redacted.text;
    rules.push(...redacted.rules);
    const begin = KEY_BEGIN.exec(text);
    if (begin) {
      text = `${text.slice(0, begin.index)}${mark('private-key')}`;
      inKey = true;
      rules.push('private-key');
    }
    if (rules.length === 0) return bytes;
    redactions.push({ line, rules: [...new Set(rules)] });
    return Buffer.from(text, 'latin1');
  });
  return { lines: out, redactions };
}
