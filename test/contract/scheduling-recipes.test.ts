import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { checkArguments } from '../../src/cli/main.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { commandList, cronSchedule, parseIni, shellWords } from '../helpers/recipes.js';

/*
 * The scheduling recipes in docs/scheduling are part of the product: each is
 * parsed the way cron, systemd, Kubernetes and Woodpecker read it, its safety
 * settings are asserted, and every auditpack command line in it goes through
 * the CLI's own strict parser (unknown, missing or conflicting options fail).
 */
const DOCS = new URL('../../docs/scheduling/', import.meta.url);
const read = (path: string) => readFile(new URL(path, DOCS), 'utf8');
const QUARTER_STARTS = [[0], [6], [1], [1, 4, 7, 10], [0, 1, 2, 3, 4, 5, 6, 7]];

/** Runs argv (without the program name) through the CLI's parser and returns the parsed options. */
async function parsed(argv: string[]): Promise<Record<string, unknown>> {
  const result = await checkArguments(argv);
  if (!result.ok) throw new Error(`auditpack ${argv.join(' ')}: ${result.reason}`);
  return result.args;
}

/** The auditpack command lines in a list of shell commands, each as argv without the program name. */
function auditpackCommands(lines: string[]): string[][] {
  return lines
    .flatMap(commandList)
    .map(shellWords)
    .filter((words) => /(^|\/)auditpack$/.test(words[0] ?? ''))
    .map((words) => words.slice(1));
}

/** What every scheduled report must ask for: the previous period, quiet, an alertable summary. */
function expectScheduledReport(args: Record<string, unknown>): void {
  expect(args._).toEqual(['report']);
  expect(args.period).toBe('previous');
  expect(args.quiet).toBe(true);
  expect(typeof args.summary).toBe('string');
}

describe('the CLI parser used on the recipes', () => {
  it('refuses an option auditpack does not have, a missing required one and a bad choice', async () => {
    expect(await checkArguments(['report', '--config', 'a.yaml', '--perod', 'previous'])).toEqual({ ok: false, reason: 'Unknown argument: perod' });
    expect((await checkArguments(['report'])).ok).toBe(false);
    expect((await checkArguments(['report', '--config', 'a.yaml', '--format', 'xml'])).ok).toBe(false);
    expect((await checkArguments(['report', '--config', 'a.yaml', '--period', 'previous', '--from', '2026-01-01', '--to', '2026-03-31'])).ok).toBe(false);
    expect(await parsed(['report', '--config', 'a.yaml', '--period', 'previous', '--quiet', '--summary', 's.json'])).toMatchObject({
      period: 'previous',
      quiet: true,
    });
  });
});

describe('cron', () => {
  it('is one /etc/cron.d line, quarterly at 06:00 on the first day, as a user, running a real scheduled report and mailing any failure', async () => {
    const lines = (await read('cron.d/auditpack')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const settings = lines.filter((l) => /^[A-Z_]+=/.test(l));
    expect(settings.map((l) => l.split('=')[0])).toEqual(['SHELL', 'PATH', 'MAILTO']);
    const jobs = lines.filter((l) => !settings.includes(l));
    expect(jobs).toHaveLength(1);
    const [minute, hour, dom, month, dow, user, ...command] = (jobs[0] ?? '').split(/\s+/);
    expect(cronSchedule([minute, hour, dom, month, dow].map(String))).toEqual(QUARTER_STARTS);
    expect(user).toBe('auditpack');
    const line = command.join(' ');
    expect(line).not.toContain('%'); // cron turns % into a newline
    const commands = auditpackCommands([line]);
    expect(commands).toHaveLength(1);
    const args = await parsed(commands[0] ?? []);
    expectScheduledReport(args);
    // cron mails whatever is printed: no progress lines, or every run would mail.
    expect(args.progress).toBe('auto');
    // cron mails output, not exit codes: the failure branch must print.
    expect(commandList(line).at(-1)).toMatch(/^echo /);
    expect(line).toMatch(/auditpack report .* \|\| echo/);
  });
});

describe('systemd', () => {
  let service: ReturnType<typeof parseIni>;
  let timer: ReturnType<typeof parseIni>;
  beforeAll(async () => {
    service = parseIni(await read('systemd/auditpack-report.service'));
    timer = parseIni(await read('systemd/auditpack-report.timer'));
  });

  it('the service runs a real scheduled report once, as an unprivileged user, without network, with the seal key as a credential', async () => {
    expect(service.sections.map((s) => s.name)).toEqual(['Unit', 'Service']);
    expect(service.one('Service', 'Type')).toBe('oneshot');
    expect(service.one('Service', 'User')).toMatch(/^(?!root$)[a-z]/);
    const exec = shellWords(service.one('Service', 'ExecStart') ?? '');
    expect(exec[0]).toBe('/usr/local/bin/auditpack');
    // %d is systemd's specifier for the credentials folder.
    const args = await parsed(exec.slice(1).map((w) => w.replace('%d', '/run/credentials/auditpack-report.service')));
    expectScheduledReport(args);
    // The journal keeps stderr: progress as lines says where a long run is.
    expect(args.progress).toBe('plain');
    const [credential] = (service.one('Service', 'LoadCredential') ?? '').split(':');
    expect(args['seal-key']).toBe(`/run/credentials/auditpack-report.service/${credential}`);
    expect(args.out).toMatch(/^\/var\/lib\/auditpack\/.*\{period\}/);
    expect(String(args.summary)).toMatch(/^\/var\/lib\/auditpack\//);
    expect(service.one('Service', 'StateDirectory')).toBe('auditpack');
    for (const [key, value] of [
      ['PrivateNetwork', 'yes'],
      ['PrivateTmp', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['NoNewPrivileges', 'yes'],
      ['CapabilityBoundingSet', ''],
    ])
      expect(service.one('Service', key ?? ''), key).toBe(value);
  });

  it('the timer starts it at 06:00 UTC on the first day of each quarter and catches up a missed run', () => {
    expect(timer.one('Timer', 'OnCalendar')).toBe('*-01,04,07,10-01 06:00:00 UTC');
    expect(timer.one('Timer', 'Persistent')).toBe('true');
    expect(timer.one('Timer', 'Unit')).toBe('auditpack-report.service');
    expect(timer.one('Install', 'WantedBy')).toBe('timers.target');
  });

  // systemd-analyze checks every directive name and value; it is in Debian's systemd package, which .ci/run installs.
  it('systemd-analyze verify accepts both units with no warning, and the calendar expression elapses at quarter starts', async () => {
    const work = await mkdtemp(join(tmpdir(), 'auditpack-units-'));
    try {
      // verify checks that ExecStart's program exists: a stand-in takes the place of the installed auditpack.
      const program = join(work, 'auditpack');
      await writeFile(program, '#!/bin/sh\nexit 0\n');
      await chmod(program, 0o755);
      await writeFile(join(work, 'auditpack-report.service'), (await read('systemd/auditpack-report.service')).replace('/usr/local/bin/auditpack', program));
      await writeFile(join(work, 'auditpack-report.timer'), await read('systemd/auditpack-report.timer'));
      const verify = spawnSync('systemd-analyze', ['verify', '--man=no', 'auditpack-report.service', 'auditpack-report.timer'], {
        cwd: work,
        encoding: 'utf8',
      });
      expect(verify.error, 'systemd-analyze is missing: apt-get install systemd').toBeUndefined();
      expect([verify.status, verify.stderr]).toEqual([0, '']);
      const calendar = spawnSync('systemd-analyze', ['calendar', '--iterations', '4', timer.one('Timer', 'OnCalendar') ?? ''], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
      });
      const elapses = [...calendar.stdout.matchAll(/(?:Next elapse|Iter\. #\d): \w{3} (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC/g)].map((m) => m[1] ?? '');
      expect(elapses).toHaveLength(4);
      for (const at of elapses) expect(at).toMatch(/^\d{4}-(01|04|07|10)-01 06:00:00$/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('Kubernetes', () => {
  type Manifest = Record<string, any>;
  let docs: Manifest[];
  let cronJob: Manifest;
  let pod: Manifest;
  let container: Manifest;
  beforeAll(async () => {
    const all = parseAllDocuments(await read('kubernetes/auditpack-cronjob.yaml'));
    for (const doc of all) expect(doc.errors).toEqual([]);
    docs = all.map((d) => d.toJS() as Manifest);
    cronJob = docs.find((d) => d.kind === 'CronJob') ?? {};
    pod = cronJob.spec?.jobTemplate?.spec?.template?.spec ?? {};
    container = (pod.containers as Manifest[] | undefined)?.find((c) => c.name === 'report') ?? {};
  });

  it('every document is a named object of a known kind and API version, in one namespace', () => {
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['v1 PersistentVolumeClaim', 'networking.k8s.io/v1 NetworkPolicy', 'batch/v1 CronJob']);
    for (const d of docs) expect(d.metadata).toMatchObject({ name: expect.stringMatching(/^[a-z0-9-]+$/), namespace: 'compliance' });
  });

  it('the CronJob runs once a quarter, never twice at once, and fails at once on an answer (exits 1, 2, 4)', () => {
    expect(cronSchedule(String(cronJob.spec.schedule).split(' '))).toEqual(QUARTER_STARTS);
    expect(cronJob.spec).toMatchObject({ timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const job = cronJob.spec.jobTemplate.spec;
    expect(pod.restartPolicy).toBe('Never'); // podFailurePolicy requires it
    expect(job.podFailurePolicy.rules[0]).toEqual({ action: 'FailJob', onExitCodes: { containerName: 'report', operator: 'In', values: [1, 2, 4] } });
  });

  it('runs non-root with a read-only root file system, no privilege escalation, no capabilities, no service account token', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const known = ['name', 'image', 'imagePullPolicy', 'workingDir', 'command', 'args', 'env', 'securityContext', 'resources', 'volumeMounts'];
    expect(Object.keys(container).filter((k) => !known.includes(k))).toEqual([]);
  });

  it('runs a real scheduled report: seal key from a read-only Secret, bundles and summary on the volume, /tmp writable', async () => {
    expect(container.command[0]).toBe('auditpack');
    const args = await parsed(container.command.slice(1));
    expectScheduledReport(args);
    expect(args.progress).toBe('plain'); // into the pod's log
    const mountOf = (volume: string) => (container.volumeMounts as Manifest[]).find((m) => m.name === volume) ?? {};
    const volume = (name: string) => (pod.volumes as Manifest[]).find((v) => v.name === name) ?? {};
    const secret = (pod.volumes as Manifest[]).find((v) => v.secret !== undefined) ?? {};
    expect(mountOf(secret.name).readOnly).toBe(true);
    expect(secret.secret.defaultMode & 0o007).toBe(0); // nothing for others
    expect(String(args['seal-key'])).toBe(`${mountOf(secret.name).mountPath}/${secret.secret.items[0].path}`);
    const data = (pod.volumes as Manifest[]).find((v) => v.persistentVolumeClaim !== undefined) ?? {};
    expect(docs.find((d) => d.kind === 'PersistentVolumeClaim')?.metadata.name).toBe(data.persistentVolumeClaim.claimName);
    for (const path of [args.out, args.summary, args.config]) expect(String(path).startsWith(`${mountOf(data.name).mountPath}/`), String(path)).toBe(true);
    expect(mountOf('tmp').mountPath).toBe('/tmp');
    expect(volume('tmp').emptyDir).toBeDefined();
  });

  it('gives the report pods no network (the NetworkPolicy selects them and allows nothing)', () => {
    const policy = docs.find((d) => d.kind === 'NetworkPolicy') ?? {};
    expect(policy.spec.podSelector.matchLabels).toEqual(cronJob.spec.jobTemplate.spec.template.metadata.labels);
    expect(policy.spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });
});

/**
 * The part of Woodpecker's pipeline schema the recipe uses, with its rules:
 * pipeline/frontend/yaml/linter/schema/schema.json in woodpecker-ci/woodpecker
 * (commit 0a0a89a4510191f0bc18a3671ef025cc4648ce91): the root keys, a step
 * (image required, no other keys than those listed), when-conditions and events.
 */
const WOODPECKER_EVENTS = ['push', 'pull_request', 'pull_request_closed', 'tag', 'deployment', 'cron', 'manual', 'release'];
const stringOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };
const WOODPECKER_PIPELINE = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    variables: {},
    clone: { type: ['object', 'array'] },
    skip_clone: { type: 'boolean' },
    when: { oneOf: [{ $ref: '#/definitions/when' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/when' } }] },
    steps: {
      oneOf: [
        { type: 'object', additionalProperties: { $ref: '#/definitions/step' } },
        { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
      ],
    },
    services: { type: ['object', 'array'] },
    workspace: { type: 'object' },
    matrix: { type: 'object' },
    labels: { type: 'object' },
    depends_on: { type: 'array', items: { type: 'string' } },
    runs_on: { type: 'array', items: { type: 'string' } },
  },
  definitions: {
    event: { enum: WOODPECKER_EVENTS },
    when: {
      type: 'object',
      additionalProperties: false,
      properties: {
        repo: stringOrList,
        branch: stringOrList,
        event: { oneOf: [{ $ref: '#/definitions/event' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/event' } }] },
        ref: { type: 'string' },
        cron: stringOrList,
        status: { oneOf: [{ enum: ['success', 'failure'] }, { type: 'array', minItems: 1, items: { enum: ['success', 'failure'] } }] },
        platform: stringOrList,
        environment: stringOrList,
        instance: stringOrList,
        path: {},
        matrix: { type: 'object' },
        evaluate: { type: 'string' },
      },
    },
    secretValue: { type: 'object', additionalProperties: false, required: ['from_secret'], properties: { from_secret: { type: 'string', minLength: 1 } } },
    value: { oneOf: [{ type: ['string', 'number', 'boolean'] }, { $ref: '#/definitions/secretValue' }, { type: 'array' }] },
    step: {
      type: 'object',
      additionalProperties: false,
      required: ['image'],
      properties: {
        name: { type: 'string' },
        image: { type: 'string', minLength: 1 },
        pull: { type: 'boolean' },
        commands: stringOrList,
        entrypoint: stringOrList,
        environment: { type: 'object', additionalProperties: { $ref: '#/definitions/value' } },
        settings: { type: 'object', additionalProperties: { $ref: '#/definitions/value' } },
        when: { oneOf: [{ $ref: '#/definitions/when' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/when' } }] },
        depends_on: stringOrList,
        detach: { type: 'boolean' },
        failure: { enum: ['fail', 'ignore'] },
        directory: { type: 'string' },
        volumes: { type: 'array', items: { type: 'string' } },
        backend_options: { type: 'object' },
      },
    },
  },
};

describe('Woodpecker', () => {
  type Step = { name: string; image: string; commands?: string | string[]; environment?: Record<string, unknown>; settings?: Record<string, unknown> };
  let pipeline: { when: unknown; steps: Step[] };
  beforeAll(async () => {
    pipeline = parse(await read('woodpecker/auditpack.yaml')) as typeof pipeline;
  });

  it("has the shape of a Woodpecker pipeline (the linter schema's rules for what it uses)", () => {
    const validate = compileSchema(WOODPECKER_PIPELINE);
    expect(validate(pipeline), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
    // The schema is strict: a misspelt key fails it.
    expect(validate({ ...pipeline, steps: [{ ...pipeline.steps[0], comands: ['x'] }] })).toBe(false);
  });

  it('runs on its cron job only, collects the previous quarter, reports it, and stores the archive even when checks failed', async () => {
    expect(pipeline.when).toEqual([{ event: 'cron', cron: 'auditpack-quarterly' }]);
    const commands = pipeline.steps.map((s) => auditpackCommands([s.commands ?? []].flat()));
    const [collect, report] = await Promise.all(commands.flat().map((argv) => parsed(argv)));
    expect(collect).toMatchObject({ _: ['collect', 'woodpecker'], period: 'previous', quiet: true });
    expectScheduledReport(report ?? {});
    expect(report?.progress).toBe('plain'); // into the step's log
    expect(pipeline.steps.at(-1)).toMatchObject({ name: 'store', when: [{ status: ['success', 'failure'] }] });
  });

  it('takes every secret from the secret store, never from the file', () => {
    const values = pipeline.steps.flatMap((s) => Object.entries({ ...s.environment, ...s.settings }));
    const secrets = values.filter(([key]) => /TOKEN|PASSPHRASE|PASSWORD|SECRET|KEY/i.test(key));
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const [key, value] of secrets) expect(value, key).toEqual({ from_secret: expect.any(String) });
  });
});

describe('the command lines in docs/scheduling/README.md', () => {
  it('are real auditpack options, and the scheduled one is the one the recipes run', async () => {
    const text = await read('README.md');
    const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const lines = blocks.flatMap((b) => b.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim());
    const commands = auditpackCommands(lines.filter((l) => l !== ''));
    expect(commands.length).toBeGreaterThan(0);
    for (const argv of commands) await parsed(argv);
    expectScheduledReport(await parsed(commands[0] ?? []));
  });
});

describe('docs/sharding.md', () => {
  it('is marked as a design, and the CLI indeed has neither --shard nor merge', async () => {
    const text = await readFile(new URL('../../docs/sharding.md', import.meta.url), 'utf8');
    expect(text.split('\n').slice(0, 5).join('\n')).toMatch(/\*\*Design, not implemented\.\*\*/);
    expect(await checkArguments(['report', '--config', 'a.yaml', '--shard', '0/4'])).toEqual({ ok: false, reason: 'Unknown argument: shard' });
    expect((await checkArguments(['merge', 'out.shards', '--out', 'out'])).ok).toBe(false);
  });
});
