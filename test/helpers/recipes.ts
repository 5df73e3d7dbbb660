/**
 * Readers for the scheduling recipes in docs/scheduling: shell words, systemd
 * INI files and cron schedules, small enough to read in one sitting, so that
 * the contract test parses the files the way cron, systemd and sh do.
 */

/** Splits one shell command into words as sh does for plain words, '…' and "…" (no expansion). Operators end the command. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] ?? '';
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + (command[i + 1] ?? '');
      i += 1;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The simple commands of a command list, split at `&&`, `||`, `;` and `|` outside quotes. */
export function commandList(line: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&')) {
      parts.push(line.slice(start, i).trim());
      if (line[i + 1] === c) i += 1;
      start = i + 1;
    }
  }
  parts.push(line.slice(start).trim());
  return parts.filter((p) => p !== '');
}

export interface IniFile {
  sections: { name: string; entries: [string, string][] }[];
  /** Every value of `key` in `section`, in order (systemd allows a key more than once). */
  all(section: string, key: string): string[];
  one(section: string, key: string): string | undefined;
}

/** systemd's unit file syntax: [Section], Key=Value, # and ; comments, a trailing backslash continues the line. */
export function parseIni(text: string): IniFile {
  const sections: IniFile['sections'] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const [n, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1] ?? '', entries: [] });
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    const section = sections.at(-1);
    if (!entry || section === undefined) throw new Error(`line ${n + 1} is neither a [Section] nor Key=Value inside one: ${raw}`);
    section.entries.push([entry[1] ?? '', (entry[2] ?? '').trim()]);
  }
  const all = (section: string, key: string) =>
    sections.filter((s) => s.name === section).flatMap((s) => s.entries.filter(([k]) => k === key).map(([, v]) => v));
  return { sections, all, one: (section, key) => all(section, key).at(-1) };
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** The values a five-field cron schedule (numbers, `*`, lists, ranges, steps) matches, field by field; throws on anything else. */
export function cronSchedule(fields: string[]): number[][] {
  if (fields.length !== 5) throw new Error(`a cron schedule has five fields, not ${fields.length}: ${fields.join(' ')}`);
  return fields.map((field, i) => {
    const { name, min, max } = CRON_FIELDS[i] ?? CRON_FIELDS[0];
    const values = new Set<number>();
    for (const part of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) throw new Error(`cron ${name} field ${JSON.stringify(field)} is not valid`);
      const from = m[1] === '*' ? min : Number(m[2]);
      const to = m[1] === '*' ? max : m[3] === undefined ? (m[4] === undefined ? from : max) : Number(m[3]);
      const step = m[4] === undefined ? 1 : Number(m[4]);
      if (from < min || to > max || from > to || step < 1) throw new Error(`cron ${name} field ${JSON.stringify(field)} is out of range ${min}-${max}`);
      for (let v = from; v <= to; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
  });
}
